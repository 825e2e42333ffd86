"""A real app over a scanned library for the reading-list and story-arc API tests (SQLite,
and PostgreSQL when ``BAGBOARD_TEST_POSTGRES_URL`` is set).

Library Marvel holds Civil War #1 and #2 (2006) and two copies of Amazing Spider-Man #532
(``readlist_support.write_world``), and Siege #1 and #2, tagged as parts 1 and 2 of the arc
"Siege" (#1 also part 9 of "Dark Reign"); library Secret holds Secret Wars #1 (1984) and Siege
#3, part 3 of "Siege" and part 1 of "Secret Plot". Each test acts as users of its own
(``World.user``), so tests never see each other's lists or reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.domain.model import Library, Role
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS, auth, database_url
from tests.readlist_support import write_world

__all__ = ["API", "World", "world"]

API = "/api/v1"
XML = {"Content-Type": "application/xml"}
# (library, file, number, StoryArc, StoryArcNumber) of the Siege comics.
ARC_COMICS = (
    ("marvel", "Siege/Siege 002.cbz", "2", "Siege", "2"),
    ("marvel", "Siege/Siege 001.cbz", "1", "Siege, Dark Reign", "1, 9"),
    ("secret", "Siege/Siege 003.cbz", "3", "Siege, Secret Plot", "3, 1"),
)


def write_arcs(roots: dict[str, Path]) -> None:
    for library, relative, number, arcs, parts in ARC_COMICS:
        path = roots[library] / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        info = {"Series": "Siege", "Number": number, "StoryArc": arcs, "StoryArcNumber": parts}
        write_cbz(path, {"ComicInfo.xml": comicinfo_xml(info), "001.jpg": jpeg((9, 9, 9))})


@dataclass
class World:
    app: ComicLibrary
    client: TestClient[Any]
    marvel: Library
    secret: Library
    owner: str
    _users: Iterator[int] = field(default_factory=lambda: count(1))

    def user(self, library_ids: list[int] | None = None, role: Role = Role.READER) -> str:
        """A token of a new user: tests that write never see each other's state."""
        name = f"user{next(self._users)}"
        self.app.accounts.add_user(name, role, library_ids)
        return self.app.accounts.create_token(name).secret

    def comic_id(self, relative: str, library: Library | None = None) -> int:
        root = (library or self.marvel).root
        comic = self.app.container.library_index().comic_at(f"{root}/{relative}")
        assert comic is not None, relative
        return int(comic.id)

    def get(self, url: str, token: str, **params: Any) -> httpx.Response:
        return self.client.get(API + url, params=params, headers=auth(token))

    def json(self, url: str, token: str, **params: Any) -> Any:
        response = self.get(url, token, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, data: bytes, token: str, **params: Any) -> httpx.Response:
        headers = {**auth(token), **XML}
        return self.client.post(f"{API}/readlists", content=data, params=params, headers=headers)

    def imported(self, data: bytes, token: str, **params: Any) -> dict[str, Any]:
        response = self.send(data, token, **params)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    base = tmp_path_factory.mktemp(f"readlists-{request.param}")
    marvel_root, secret_root = write_world(base)
    write_arcs({"marvel": marvel_root, "secret": secret_root})
    with database_url(request.param, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url), workers=0
        )
        try:
            marvel = app.libraries.add(str(marvel_root.resolve()), "Marvel")
            secret = app.libraries.add(str(secret_root.resolve()), "Secret")
            scanner = app.scanner()
            for library in (marvel, secret):
                scanner.scan(library)
            owner = app.accounts.create_token().secret
            with TestClient(app.create_app()) as client:
                yield World(app, client, marvel, secret, owner)
        finally:
            app.close()
