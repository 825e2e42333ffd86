"""A real, scanned two-library collection behind the real app, for the browse tests.

``write_collection`` lays out CBZ files (with ComicInfo) and a real CBR in two library folders;
``browse_world`` builds bagboard on SQLite or on a scratch PostgreSQL database, scans both
libraries, and creates an owner (sees everything) and ``kid`` (limited to library A).

Every comic's modification time is set explicitly, so first-scan dating makes ``recent`` order
predictable: issue ``n`` of ``COMICS`` is ``n + 1`` hours old, except those marked ``old``.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bagboard.config import load_settings
from bagboard.domain.model import Library, Role
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

POSTGRES_URL_ENV = "BAGBOARD_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_URL_ENV, "")
# Without a server the postgresql variant is not generated at all, rather than skipped.
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]

CBR_FIXTURE = Path(__file__).parent / "data" / "cbr" / "rar5-stored.cbr"
OLD = timedelta(days=800)


@dataclass(frozen=True)
class Comic:
    """One comic of the collection: where it goes, its ComicInfo (None: no ComicInfo.xml at
    all), and an age overriding the default one-hour steps."""

    path: str
    info: Mapping[str, str] | None = None
    age: timedelta | None = None


def _c(path: str, *fields: str, age: timedelta | None = None, **more: str) -> Comic:
    """``fields`` are Publisher, Series, Number and Year, in that order; empty ones are left out."""
    if not fields:
        return Comic(path, None, age)
    tagged = dict(zip(("Publisher", "Series", "Number", "Year"), fields, strict=False)) | more
    return Comic(path, {tag: value for tag, value in tagged.items() if value}, age)


ASM = "Marvel/Amazing Spider-Man"
SWAMP = "DC Comics/Swamp Thing"
_S = "Amazing Spider-Man"
COMICS_A: tuple[Comic, ...] = (
    _c(f"{ASM}/{_S} #1.cbz", "Marvel", _S, "1", "1963", Title="Spider-Man!"),
    _c(f"{ASM}/{_S} #1.5.cbz", "Marvel", "amazing spider-man", "1.5", "1963"),
    _c(f"{ASM}/{_S} #2.cbz", "marvel", _S, "2", "1963"),
    _c(f"{ASM}/{_S} #10.cbz", "Marvel", _S, "10", "1964"),
    _c(f"{ASM}/{_S} Annual.cbz", "Marvel", _S, "Annual", "1965"),
    _c(
        "DC Comics/Batman/Batman 001.cbz",
        "DC Comics",
        "Batman",
        "1",
        "2020",
        Title="Court of Owls",
        StoryArc="Court of Owls",
        StoryArcNumber="1",
    ),
    _c(f"{SWAMP}/v1972/Swamp Thing 001 (1972).cbz", "DC Comics", "Swamp Thing", "1", "1972"),
    _c(f"{SWAMP}/v1985/Swamp Thing 001 (1985).cbz", "DC Comics", "Swamp Thing", "1", "1985"),
    _c(f"{SWAMP}/v1985/Swamp Thing 002 (1985).cbz", "DC Comics", "Swamp Thing", "2", "1985"),
    _c("Image/Saga/Saga 01.cbz", "Image", "Saga", "1", "2012", age=OLD),
    _c("Image/Invincible/Invincible 01.cbz", "Image", "Invincible", "1"),
    _c("Image/Invincible/Invincible 02.cbz"),
    _c("Oddities/100% Pure/100% Pure 01.cbz", "Oddities", "100% Pure", "1", "2001"),
    _c("Oddities/Under_Score/Under_Score 01.cbz", "Oddities", "Under_Score", "1", "2002"),
    _c("Oddities/Plain/Plain 01.cbz", "Oddities", "Plain", "1", "2003"),
    _c("archie/Jughead/Jughead 01.cbz"),
    _c("Vol 10 Press/Thing/Thing 01.cbz"),
    _c("Vol 2 Press/Thing/Thing 01.cbz"),
)
# Also in A: Marvel/folder.jpg and Marvel/X-Men/X-Men 001.cbr (the CBR fixture: "Fixture
# Comics" / "Fixture Series" #7, 1999), which is the newest comic of all.
CBR_PATH = "Marvel/X-Men/X-Men 001.cbr"

COMICS_B: tuple[Comic, ...] = (
    _c(f"{ASM}/{_S} #3.cbz", "Marvel", _S, "3", "1963"),
    _c("Secret Press/Hidden/Hidden 01.cbz", "Secret Press", "Hidden", "1", "1990"),
    # Either side of the 30-day window of ``recent``.
    _c("Secret Press/Hidden/Hidden 02.cbz", age=timedelta(days=29)),
    _c("Secret Press/Hidden/Hidden 03.cbz", age=timedelta(days=31)),
)


def write_collection(base: Path, now: datetime) -> tuple[Path, Path]:
    """Write libraries A and B below ``base``; returns their (resolved) roots."""
    page = jpeg((200, 40, 40))
    root_a, root_b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    hours = count(1)
    for root, comics in ((root_a, COMICS_A), (root_b, COMICS_B)):
        for comic in comics:
            path = root / comic.path
            path.parent.mkdir(parents=True, exist_ok=True)
            members: dict[str, bytes] = {"p001.jpg": page, "p002.jpg": page}
            if comic.info is not None:
                members["ComicInfo.xml"] = comicinfo_xml(comic.info)
            write_cbz(path, members)
            _age(path, now, comic.age or timedelta(hours=next(hours)))
    cbr = root_a / CBR_PATH
    cbr.parent.mkdir(parents=True)
    shutil.copyfile(CBR_FIXTURE, cbr)
    _age(cbr, now, timedelta(minutes=5))
    (root_a / "Marvel" / "folder.jpg").write_bytes(page)
    return root_a, root_b


def _age(path: Path, now: datetime, age: timedelta) -> None:
    stamp = (now - age).timestamp()
    os.utime(path, (stamp, stamp))


@contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a scratch PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bagboard.db'}"
        return
    name = f"bagboard_browse_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class World:
    app: ComicLibrary
    client: TestClient[Any]
    lib_a: Library
    lib_b: Library
    owner: str  # token secrets
    kid: str
    now: datetime
    _users: Iterator[int] = field(default_factory=lambda: count(1))

    @property
    def a(self) -> str:
        return self.lib_a.root

    @property
    def b(self) -> str:
        return self.lib_b.root

    def get(self, url: str, token: str | None = None, **params: Any) -> httpx.Response:
        return self.client.get(url, params=params, headers=auth(token or self.owner))

    def json(self, url: str, token: str | None = None, **params: Any) -> dict[str, Any]:
        response = self.get(url, token, **params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def new_reader(self, library_ids: list[int] | None = None) -> str:
        """A token of a new user, so tests that write state never see each other's."""
        name = f"reader{next(self._users)}"
        self.app.accounts.add_user(name, Role.READER, library_ids)
        return self.app.accounts.create_token(name).secret

    def user_id(self, token: str) -> int:
        return self.app.authenticator.authenticate(f"Bearer {token}", None).id

    def comic_id(self, path: str) -> int:
        comic = self.app.container.library_index().comic_at(path)
        assert comic is not None, path
        return int(comic.id)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def index_collection(app: ComicLibrary, root_a: Path, root_b: Path) -> tuple[Library, Library]:
    """Add both folders as libraries A and B and scan them."""
    lib_a = app.libraries.add(str(root_a), "A")
    lib_b = app.libraries.add(str(root_b), "B")
    scanner = app.scanner()
    for library in (lib_a, lib_b):
        scanner.scan(library)
    return lib_a, lib_b


@contextmanager
def browse_world(kind: str, tmp: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp.mktemp(f"browse-{kind}")
    now = datetime.now(UTC)
    root_a, root_b = write_collection(base, now)
    with database_url(kind, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url), workers=0
        )
        try:
            lib_a, lib_b = index_collection(app, root_a, root_b)
            owner = app.accounts.create_token().secret
            app.accounts.add_user("kid", Role.READER, [lib_a.id])
            kid = app.accounts.create_token("kid").secret
            with TestClient(app.create_app()) as client:
                yield World(app, client, lib_a, lib_b, owner, kid, now)
        finally:
            app.close()
