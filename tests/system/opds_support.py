"""A real ``bagboard serve`` with a generated two-library collection, and the ComicCatcher
reader client pointed at it, for the OPDS acceptance suite.

Library 1 holds Saga #1 (a CBZ of JPEG pages, the first one wider than a PSE reader asks
for), Webby #1 (a CBZ of WebP pages), a real CBR, and the sixty issues of Long Run (numbers
1..60, file names unpadded, so natural order differs from name order). Library 2 holds one
private comic. The owner U sees both; the reader V only library 1. Everything is set up with
the ``bagboard`` command and indexed before the server starts, so every feed is complete.

ComicCatcher reads its configuration folders at import time: ``comiccatcher()`` points them
at a scratch folder before the first import and puts the environment back afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Final
from urllib.parse import urljoin

import httpx
import pytest
from PIL import Image

from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, write_cbz
from tests.readlist_support import cbl
from tests.system.conftest import bagboard, serving

CBR_FIXTURE: Final = Path(__file__).parent.parent / "data" / "cbr" / "rar5-stored.cbr"

ACQUISITION: Final = "http://opds-spec.org/acquisition"
PSE_NS: Final = "http://vaemendis.net/opds-pse/ns"
ATOM_NS: Final = "http://www.w3.org/2005/Atom"
FLAT_PROGRESSION: Final = "http://opds-spec.org/progression"
AUTH_BASIC: Final = "http://opds-spec.org/auth/basic"
AUTH_DOCUMENT_REL: Final = "http://opds-spec.org/auth/document"
# The rels ComicCatcher's reader looks for, in its order (feed_reader.py).
PROGRESSION_RELS: Final = (
    FLAT_PROGRESSION,
    "http://opds-spec.org/rel/progression",
    "http://readium.org/progression",
    "http://readium.org/rel/progression",
    "http://www.cantook.com/api/progression",
    "http://librarysimplified.org/terms/rel/state",
)
MANIFEST_TYPES: Final = (
    "application/divina+json",
    "application/webpub+json",
    "application/opds-publication+json",
)

SAGA: Final = "Image/Saga/Saga 001.cbz"
WEBBY: Final = "Image/Webby/Webby 001.cbz"
RAR: Final = "Fixture Comics/Fixture Series/Fixture Series 007.cbr"
PRIVATE: Final = "Hidden House/Private/Private 001.cbz"
LONG_RUN: Final = 60
LONG_RUN_PAGES: Final = 6


# A shared reading list: Long Run #3, Saga #1, a book no library holds, Long Run #1, Saga #1
# again, and the private comic (which only U may see in it).
LIST_NAME: Final = "Crossover"
LIST_BOOKS: Final = (
    ("Long Run", "3", "", ""),
    ("Saga", "1", "", ""),
    ("Nobody", "9", "", ""),
    ("Long Run", "1", "", ""),
    ("Saga", "1", "", ""),
    ("Private", "1", "", ""),
)
LIST_TITLES: Final = ("Long Run #3", "Saga #1: Chapter One", "Long Run #1", "Private #1")


# A story arc read against issue order: Event #2 is its first part, Event #1 its second.
ARC_NAME: Final = "Big Event"
ARC_TITLES: Final = ("Event #2", "Event #1")


def event(number: int) -> str:
    return f"Arc House/Event/Event {number:03d}.cbz"


def long_run(number: int) -> str:
    return f"Paging Press/Long Run/Long Run {number}.cbz"


def jpeg_bytes(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=92)
    return out.getvalue()


def webp_bytes(color: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="WEBP", quality=90)
    return out.getvalue()


# Saga #1: the first page is wider than the 1600 pixels ComicCatcher asks PSE for.
SAGA_PAGES: Final = {
    "p001.jpg": jpeg_bytes((220, 30, 30), (2000, 3000)),
    "p002.jpg": jpeg_bytes((30, 200, 30), (600, 900)),
    "p003.jpg": jpeg_bytes((30, 30, 220), (600, 900)),
}
SAGA_COLORS: Final = ((220, 30, 30), (30, 200, 30), (30, 30, 220))
WEBBY_PAGES: Final = {
    "w01.webp": webp_bytes((230, 200, 40), (400, 600)),
    "w02.webp": webp_bytes((140, 40, 160), (400, 600)),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_collection(library_1: Path, library_2: Path) -> None:
    def cbz(relative: str, pages: Mapping[str, bytes], info: Mapping[str, str]) -> None:
        path = library_1 / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {**pages, "ComicInfo.xml": comicinfo_xml(info)})

    cbz(
        SAGA,
        SAGA_PAGES,
        {
            "Series": "Saga",
            "Number": "1",
            "Title": "Chapter One",
            "Writer": "Brian K. Vaughan",
            "Publisher": "Image",
            "Year": "2012",
        },
    )
    cbz(WEBBY, WEBBY_PAGES, {"Series": "Webby", "Number": "1", "Publisher": "Image"})
    for number in range(1, LONG_RUN + 1):
        pages = {
            f"lr{page}.jpg": jpeg_bytes((number * 4, page * 40, 120), (60, 90))
            for page in range(1, LONG_RUN_PAGES + 1)
        }
        info = {"Series": "Long Run", "Number": str(number), "Publisher": "Paging Press"}
        cbz(long_run(number), pages, info)
    for number, part in ((1, "2"), (2, "1")):
        info = {"Series": "Event", "Number": str(number), "Publisher": "Arc House"}
        pages = {"e1.jpg": jpeg_bytes((number * 60, 90, 90), (60, 90))}
        cbz(event(number), pages, info | {"StoryArc": ARC_NAME, "StoryArcNumber": part})
    rar = library_1 / RAR
    rar.parent.mkdir(parents=True)
    shutil.copyfile(CBR_FIXTURE, rar)
    private = library_2 / PRIVATE
    private.parent.mkdir(parents=True)
    private_info = {"Series": "Private", "Number": "1", "Publisher": "Hidden House"}
    write_cbz(
        private,
        {
            "x1.jpg": jpeg_bytes((10, 10, 10), (60, 90)),
            "ComicInfo.xml": comicinfo_xml(private_info),
        },
    )


@dataclass(frozen=True)
class OpdsWorld:
    """The running server: its address, the two users' tokens, and where each comic lives."""

    base: str
    library_1: Path
    library_2: Path
    owner_token: str  # T, user U: both libraries
    reader_token: str  # T2, user V: library 1 only
    ids: Mapping[str, int] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        root = self.library_2 if relative == PRIVATE else self.library_1
        return root / relative

    def id(self, relative: str) -> int:
        return self.ids[relative]

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path_or_url: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """A raw GET as the owner (or with ``token``; ``token=""`` sends no credentials)."""
        return self.request("GET", path_or_url, token, **kwargs)

    def request(
        self, method: str, path_or_url: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        token = self.owner_token if token is None else token
        headers = {**({"Authorization": f"Bearer {token}"} if token else {})}
        headers.update(kwargs.pop("headers", None) or {})
        url = path_or_url if path_or_url.startswith("http") else self.url(path_or_url)
        return httpx.request(method, url, headers=headers, timeout=30, **kwargs)

    def api_issue(self, relative: str, token: str | None = None) -> dict[str, Any]:
        answer = self.get(f"/api/v1/issue/{self.id(relative)}", token)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


def _comic_ids(data_dir: Path, world_paths: Mapping[str, Path]) -> dict[str, int]:
    app = ComicLibrary.from_settings(load_settings(data_dir=str(data_dir)), workers=0)
    try:
        index = app.container.library_index()
        found = {name: index.comic_at(str(path)) for name, path in world_paths.items()}
    finally:
        app.close()
    missing = [name for name, comic in found.items() if comic is None]
    assert not missing, f"not indexed: {missing}"
    return {name: int(comic.id) for name, comic in found.items() if comic is not None}


@contextmanager
def opds_world(base: Path) -> Iterator[OpdsWorld]:
    """Write the collection, set it up with the ``bagboard`` command, index it, and serve it."""
    library_1, library_2 = (base / "library-1").resolve(), (base / "library-2").resolve()
    write_collection(library_1, library_2)
    data_dir = base / "data"
    # ``scan --library`` adds each folder as a library, then indexes it.
    folders = ("--library", str(library_1), "--library", str(library_2))
    bagboard("scan", *folders, "--workers", "0", data_dir=data_dir)
    owner_token = bagboard("token", "create", "--name", "U", data_dir=data_dir).stdout.strip()
    bagboard("user", "add", "V", "--library", str(library_1), data_dir=data_dir)
    reader_token = bagboard("token", "create", "--user", "V", data_dir=data_dir).stdout.strip()
    reading_list = base / f"{LIST_NAME}.cbl"
    reading_list.write_bytes(cbl(LIST_NAME, LIST_BOOKS))
    bagboard("readlist", "import", str(reading_list), "--shared", data_dir=data_dir)
    names = [SAGA, WEBBY, RAR, *(long_run(n) for n in range(1, LONG_RUN + 1))]
    paths = {name: library_1 / name for name in names} | {PRIVATE: library_2 / PRIVATE}
    ids = _comic_ids(data_dir, paths)

    owner = {"Authorization": f"Bearer {owner_token}"}
    log = base / "serve.log"
    with serving("--no-watch", data_dir=data_dir, log=log, headers=owner) as address:
        yield OpdsWorld(address, library_1, library_2, owner_token, reader_token, ids)


_SHARED: Final = pytest.StashKey[OpdsWorld]()


def shared_world(request: pytest.FixtureRequest) -> OpdsWorld:
    """One server for every OPDS acceptance module of the run, stopped when the run ends.

    The modules share it safely: each test that checks a position uses an issue of its own.
    """
    stash = request.config.stash
    if _SHARED not in stash:
        factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
        comiccatcher(factory.mktemp("comiccatcher"))
        stack = ExitStack()
        request.config.add_cleanup(stack.close)
        stash[_SHARED] = stack.enter_context(opds_world(factory.mktemp("opds")))
    return stash[_SHARED]


# --- the ComicCatcher client ---------------------------------------------------------------


def comiccatcher(scratch: Path) -> ModuleType:
    """Import ComicCatcher with its configuration, data and home folders in ``scratch``.

    Its ``config`` module fixes those folders at import time; later imports reuse it. The
    process environment is restored at once, so nothing else in the run sees the change.
    """
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME")}
    fresh = "comiccatcher" not in sys.modules
    try:
        os.environ.update(
            XDG_CONFIG_HOME=str(scratch / "config"),
            XDG_DATA_HOME=str(scratch / "data"),
            HOME=str(scratch),
        )
        try:
            package = importlib.import_module("comiccatcher")
        except ModuleNotFoundError as missing:
            # A test dependency, installed by ``scripts/setup.sh --dev``: never a skip.
            raise AssertionError(
                "ComicCatcher 0.7.5 is missing: run scripts/setup.sh --dev"
            ) from missing
        for module in (
            "comiccatcher.config",
            "comiccatcher.api.client",
            "comiccatcher.api.opds_v2",
            "comiccatcher.api.opds12_parser",
            "comiccatcher.api.feed_reconciler",
            "comiccatcher.api.progression",
            "comiccatcher.api.download_manager",
            "comiccatcher.models.feed",
        ):
            importlib.import_module(module)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if fresh:
        config = sys.modules["comiccatcher.config"]
        assert str(config.CONFIG_DIR).startswith(str(scratch)), config.CONFIG_DIR
    return package


@dataclass
class Wire:
    """Every exchange a ComicCatcher client made: (method, url, request body, status)."""

    exchanges: list[tuple[str, str, bytes, int]] = field(default_factory=list)

    async def on_response(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append(
            (request.method, str(request.url), request.content, response.status_code)
        )

    def puts(self, url: str) -> list[tuple[bytes, int]]:
        return [
            (body, status)
            for method, to, body, status in self.exchanges
            if method == "PUT" and to == url
        ]


@dataclass
class Reader:
    """One configured ComicCatcher feed: its HTTP layer, OPDS client and what went over the wire."""

    api: Any  # comiccatcher.api.client.APIClient
    opds: Any  # comiccatcher.api.opds_v2.OPDS2Client
    wire: Wire
    device_id: str

    def progression_sync(self) -> Any:
        from comiccatcher.api.progression import ProgressionSync

        sync = ProgressionSync(self.api, device_id=self.device_id)
        sync.SYNC_DEBOUNCE_SEC = 0
        return sync


@asynccontextmanager
async def reader(
    world: OpdsWorld,
    start: str,
    *,
    auth_type: str = "bearer",
    token: str | None = None,
    **credentials: str,
) -> AsyncIterator[Reader]:
    """A ComicCatcher client for the feed at ``start`` (a server path), logged in with
    ``token`` (the owner's by default) the way ``auth_type`` says: ``bearer``, ``apikey``,
    ``basic`` (user "anything", the token as password) or ``none``; ``credentials`` override."""
    from comiccatcher.api.client import APIClient
    from comiccatcher.api.opds_v2 import OPDS2Client
    from comiccatcher.models.feed import FeedProfile

    token = world.owner_token if token is None else token
    given: dict[str, str] = {
        "bearer": {"bearer_token": token},
        "apikey": {"api_key": token},
        "basic": {"username": "anything", "password": token},
        "none": {},
    }[auth_type]
    profile = FeedProfile(
        id=str(uuid.uuid4()),
        name="bagboard",
        url=world.url(start),
        auth_type=auth_type,
        **(given | credentials),
    )
    api = APIClient(profile)
    wire = Wire()
    api.client.event_hooks["response"].append(wire.on_response)
    try:
        yield Reader(api, OPDS2Client(api), wire, str(uuid.uuid4()))
    finally:
        await api.close()


def basic(token: str, user: str = "anything") -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{token}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


# --- reading feeds as a reader does ----------------------------------------------------------


def rels(link: Any) -> list[str]:
    rel = link.rel
    return [rel] if isinstance(rel, str) else list(rel or [])


def link_with(links: Any, rel: str) -> Any:
    found = [link for link in links or () if rel in rels(link)]
    assert found, f"no {rel!r} link among {[(rels(x), x.href) for x in links or ()]}"
    return found[0]


def navigation_to(feed: Any, title: str) -> Any:
    """The navigation link titled ``title`` (ComicCatcher appends ``(count)`` to some)."""
    for link in feed.navigation or ():
        if link.title == title or (link.title or "").startswith(f"{title} ("):
            return link
    raise AssertionError(f"no {title!r} in {[link.title for link in feed.navigation or ()]}")


def publication_titled(feed: Any, title: str) -> Any:
    for publication in feed.publications or ():
        if publication.metadata.title == title:
            return publication
    raise AssertionError(f"no {title!r} in {[p.metadata.title for p in feed.publications or ()]}")


async def series_feed(r: Reader, publisher: str, series: str) -> tuple[Any, str]:
    """Root → Publishers → ``publisher`` → ``series``, as a reader taps through them."""
    url = r.api.profile.url
    feed = await r.opds.get_feed(url)
    for title in ("Publishers", publisher, series):
        url = urljoin(url, navigation_to(feed, title).href)
        feed = await r.opds.get_feed(url)
    return feed, url


async def publication(r: Reader, publisher: str, series: str, title: str) -> tuple[Any, str]:
    feed, url = await series_feed(r, publisher, series)
    return publication_titled(feed, title), url


def manifest_link(publication: Any) -> Any:
    found = [link for link in publication.links or () if link.type in MANIFEST_TYPES]
    assert found, f"no manifest link in {publication.links}"
    return found[0]


def progression_link(publication: Any) -> Any:
    for rel in PROGRESSION_RELS:
        for link in publication.links or ():
            if rel in rels(link):
                return link
    raise AssertionError(f"no progression link in {publication.links}")


def pse_link(publication: Any) -> Any:
    return link_with(publication.links, "http://vaemendis.net/opds-pse/stream")
