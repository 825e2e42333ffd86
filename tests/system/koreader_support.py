"""KOReader's sync client, the other protocols' clients and a served collection, for the
kosync system tests.

``KOReader`` speaks to ``/koreader`` exactly as KOReader's kosync plugin does (its
``api.json`` and ``KOSyncClient.lua``): the vendor ``Accept`` header, ``x-auth-user`` and
``x-auth-key`` (the MD5 of the password, or anything beside a device token), JSON bodies with
the page as a string and KOReader's own percentage rounding. Document ids are computed here
from the file bytes with KOReader's loop, independently of bagboard's implementation.

``served_collection`` builds real archives (each one's bytes unique, so no two comics share
a partial MD5 unless meant to), indexes them with ``bagboard scan``, makes users, passwords
and tokens with the ``bagboard`` command, and starts ``bagboard serve``, on SQLite or on a
scratch PostgreSQL database (``tests.browse_support.BACKENDS``).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import httpx
from PIL import Image

from tests.archive_factory import comicinfo_xml, write_cb7, write_cbt, write_cbz
from tests.browse_support import database_url
from tests.system.conftest import bagboard, serving

KOSYNC_ACCEPT: Final = "application/vnd.koreader.v1+json"
PASSWORD: Final = "correct horse battery"
OTHER_PASSWORD: Final = "tr0ub4dor&3"
PUBLISHER: Final = "KOReader Press"
CBR_FIXTURE: Final = Path(__file__).parent.parent / "data" / "cbr" / "rar5-stored.cbr"
# An AppleDouble header: what a macOS resource fork member starts with. Not an image.
RESOURCE_FORK: Final = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\0" * 64


# --- KOReader's side ------------------------------------------------------------------------


def koreader_partial_md5(path: Path) -> str:
    """KOReader's ``util.partialMD5``: 1024 bytes at 0, then at ``1024 << 2i`` for i = 0..10,
    stopping at the first offset with nothing to read; a short sample is hashed as read."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as file:
        for offset in [0] + [1024 << 2 * i for i in range(11)]:
            file.seek(offset)
            sample = file.read(1024)
            if not sample:
                break
            digest.update(sample)
    return digest.hexdigest()


def koreader_filename_md5(path: Path) -> str:
    """KOReader's id under "Filename" document matching: the MD5 of the file's base name."""
    return hashlib.md5(path.name.encode("utf-8"), usedforsecurity=False).hexdigest()


def koreader_percentage(page: int, pages: int) -> float:
    """``floor(page / pages * 10000) / 10000``, as ``readerpaging.lua`` sends it."""
    return math.floor(page / pages * 10000) / 10000


def md5_key(password: str) -> str:
    """What KOReader sends as ``x-auth-key``: never the password, its MD5 in hex."""
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass
class KOReader:
    """One KOReader install signed in to the custom sync server ``server`` (the address the
    user typed, ``http://host:port/koreader``)."""

    server: str
    user: str
    key: str
    device: str = "Kobo Libra 2"
    device_id: str = field(default_factory=lambda: uuid.uuid4().hex.upper())

    def headers(self, *, accept: bool = True) -> dict[str, str]:
        headers = {"x-auth-user": self.user, "x-auth-key": self.key}
        if accept:
            headers["Accept"] = KOSYNC_ACCEPT
        return headers

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        accept: bool = True,
        signed: bool = True,
    ) -> httpx.Response:
        headers = self.headers(accept=accept) if signed else {}
        if not signed and accept:
            headers["Accept"] = KOSYNC_ACCEPT
        content = None
        if body is not None:
            content = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return httpx.request(method, self.server + path, headers=headers, content=content,
                             timeout=30)  # fmt: skip

    def authorize(self, **options: Any) -> httpx.Response:
        return self.call("GET", "/users/auth", **options)

    def payload(self, document: str, page: int, pages: int) -> dict[str, Any]:
        return {
            "document": document,
            "progress": str(page),
            "percentage": koreader_percentage(page, pages),
            "device": self.device,
            "device_id": self.device_id,
        }

    def push(self, document: str, page: int, pages: int, **options: Any) -> httpx.Response:
        """``updateProgress`` for a page-based document at ``page`` of ``pages``."""
        return self.call("PUT", "/syncs/progress", body=self.payload(document, page, pages),
                         **options)  # fmt: skip

    def pull(self, document: str, **options: Any) -> httpx.Response:
        """``getProgress``."""
        return self.call("GET", f"/syncs/progress/{document}", **options)

    def pulled(self, document: str) -> dict[str, Any]:
        """The progress a pull answers, checked as KOReader's decoder needs it."""
        answer = self.pull(document)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json", answer.headers
        body = answer.json()
        assert isinstance(body, dict), body
        return body


def expect_position(
    body: Mapping[str, Any], document: str, page: int, pages: int, *, since: int | None = None
) -> None:
    """A pull's body names ``page`` of ``pages`` (KOReader's numbering) the way KOReader
    compares it: the page as a string, the percentage rounded as KOReader rounds."""
    assert body.get("document") == document, body
    assert body.get("progress") == str(page), body
    assert body.get("percentage") == koreader_percentage(page, pages), body
    assert isinstance(body.get("timestamp"), int), body
    if since is not None:
        assert since <= body["timestamp"] <= int(time.time()) + 1, (since, body)


def now() -> int:
    """The current time, in whole seconds rounded down (a write made after this moment is
    stamped at or after it)."""
    return math.floor(time.time())


# --- the collection ---------------------------------------------------------------------------


def jpeg(n: int, size: tuple[int, int] = (8, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (n * 37 % 256, n * 11 % 256, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def webp(n: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 12), (20, n * 13 % 256, 200)).save(buffer, format="WEBP")
    return buffer.getvalue()


def info(title: str) -> bytes:
    """A ComicInfo whose title makes the archive's first kilobyte unique."""
    return comicinfo_xml({"Title": title, "Series": title, "Number": "1", "Publisher": PUBLISHER})


def cbz(path: Path, pages: int, *, title: str, extra: Mapping[str, bytes] | None = None) -> Path:
    """``pages`` JPEG pages ``p001.jpg``…, ComicInfo first and nothing compressed, so the
    title sits in the first kilobyte KOReader hashes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    members = {"ComicInfo.xml": info(title)}
    members |= {f"p{n:03}.jpg": jpeg(n) for n in range(1, pages + 1)}
    members |= dict(extra or {})
    return write_cbz(path, members, compression=zipfile.ZIP_STORED)


def cbt(path: Path, members: Mapping[str, bytes], *, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_cbt(path, {"ComicInfo.xml": info(title), **members})


@dataclass(frozen=True)
class Comic:
    """A comic of the collection: its file, its pages as bagboard counts them, and the series
    folder it is listed in."""

    path: Path
    pages: int

    @property
    def series(self) -> str:
        return self.path.parent.name

    @property
    def publisher(self) -> str:
        return self.path.parent.parent.name

    @property
    def document(self) -> str:
        return koreader_partial_md5(self.path)


# The comics, by role in the tests. Each lies in a series folder of its own.
SIMPLE: Final = {
    "sixty": 60,  # KOReader's "56" on a sixty-page comic, read everywhere
    "to-api": 12,
    "to-opds": 12,
    "to-pse": 12,
    "to-komga": 12,
    "to-web": 12,
    "finale": 5,  # KOReader's last page sets the read mark
    "marked-api": 9,
    "marked-komga": 9,
    "marked-web": 9,
    "replay": 20,  # a stale replay after a read mark
    "named": 7,  # Filename document matching
    "rewritten": 8,  # a rewritten file keeps its old digest as an alias
    "appended": 8,  # so does one that grew
    "slashes": 6,
    "no-accept": 6,
    "ahead": 10,  # clock skew
    "behind": 10,
    "tolerance": 10,
    "others": 4,  # another user's positions are their own
    "numeric": 6,  # progress sent as a number, by clients before 2022
    "stamped": 6,
    "idle": 6,  # a write that changes nothing
    "moved": 8,  # renamed into another folder
    "unseen": 5,  # outside the library "kid" is limited to
    "cbt": 7,
}


@dataclass(frozen=True)
class Collection:
    root: Path
    private: Path
    outside: Path
    comics: dict[str, Comic]


def write_collection(base: Path) -> Collection:
    root = (base / "comics").resolve()
    folder = root / PUBLISHER
    comics: dict[str, Comic] = {}
    for name, pages in SIMPLE.items():
        path = folder / name.title() / f"{name.title()} 001.cbz"
        if name == "cbt":
            pages_only = {f"p{n:03}.jpg": jpeg(n) for n in range(1, pages + 1)}
            cbt(path.with_suffix(".cbt"), pages_only, title=name)
            path = path.with_suffix(".cbt")
        else:
            cbz(path, pages, title=name)
        comics[name] = Comic(path, pages)
    comics |= _odd_archives(folder)
    comics |= _copies_and_namesakes(folder)
    # Another library, which the user "kid" is limited to.
    private = (base / "private").resolve()
    path = cbz(private / "Hidden House" / "Private" / "Private 001.cbz", 5, title="private")
    comics["private"] = Comic(path, 5)
    # Not in a library yet: KOReader reads it first, then it is copied in.
    outside = (base / "device").resolve()
    path = cbz(outside / "Later 001.cbz", 11, title="later")
    comics["later"] = Comic(path, 11)
    return Collection(root, private, outside, comics)


def _odd_archives(folder: Path) -> dict[str, Comic]:
    """A real RAR, archives whose page lists MuPDF reads otherwise, and a CB7."""
    comics: dict[str, Comic] = {}
    # Made by rar itself (stored): page01.jpg..page03.jpg and a ComicInfo.
    rar = folder / "Rar" / "Rar 001.cbr"
    rar.parent.mkdir(parents=True)
    shutil.copyfile(CBR_FIXTURE, rar)
    comics["cbr"] = Comic(rar, 3)
    # macOS Finder's zip: a resource fork per page under __MACOSX/, which MuPDF counts as
    # pages after ours ('_' sorts after letters), bagboard never.
    forks = {f"__MACOSX/._p{n:03}.jpg": RESOURCE_FORK for n in range(1, 7)}
    path = cbz(folder / "Finder" / "Finder 001.cbz", 6, title="finder", extra=forks)
    comics["finder"] = Comic(path, 6)
    # macOS tar: ``._pNNN.jpg`` beside every page, which MuPDF counts first ('.' sorts first).
    members: dict[str, bytes] = {}
    for n in range(1, 7):
        members[f"._p{n:03}.jpg"] = RESOURCE_FORK
        members[f"p{n:03}.jpg"] = jpeg(n)
    path = cbt(folder / "Bsdtar" / "Bsdtar 001.cbt", members, title="bsdtar")
    comics["bsdtar"] = Comic(path, 6)
    # A WebP page, which bagboard shows and MuPDF does not.
    pages = {"p001.jpg": jpeg(1), "p002.webp": webp(2), "p003.jpg": jpeg(3), "p004.jpg": jpeg(4)}
    path = folder / "Webby" / "Webby 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"ComicInfo.xml": info("webby"), **pages}, compression=zipfile.ZIP_STORED)
    comics["webby"] = Comic(path, 4)
    # Chapters in folders: MuPDF compares whole names (' ' sorts before '/'), bagboard folder
    # by folder, so "Chapter 1 - Extra" comes first in KOReader and last here.
    chapters = {
        "Chapter 1/001.jpg": jpeg(1),
        "Chapter 1/002.jpg": jpeg(2),
        "Chapter 1 - Extra/001.jpg": jpeg(3),
    }
    path = folder / "Chapters" / "Chapters 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"ComicInfo.xml": info("chapters"), **chapters},
              compression=zipfile.ZIP_STORED)  # fmt: skip
    comics["chapters"] = Comic(path, 3)
    # A scanner's credits page: '_' sorts before letters here (case folded to lower case),
    # after them in MuPDF (folded to upper case).
    credits = {"p001.jpg": jpeg(1), "p002.jpg": jpeg(2), "_credits.jpg": jpeg(3)}
    path = folder / "Credits" / "Credits 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"ComicInfo.xml": info("credits"), **credits}, compression=zipfile.ZIP_STORED)
    comics["credits"] = Comic(path, 3)
    # A WebP last page: KOReader's last page is bagboard's second to last.
    ending = {"p001.jpg": jpeg(1), "p002.jpg": jpeg(2), "p003.webp": webp(3)}
    path = folder / "Webp Ending" / "Webp Ending 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {"ComicInfo.xml": info("webp ending"), **ending},
              compression=zipfile.ZIP_STORED)  # fmt: skip
    comics["webp-ending"] = Comic(path, 3)
    # KOReader does not read a CB7 by page.
    path = folder / "Seven" / "Seven 001.cb7"
    path.parent.mkdir(parents=True)
    seven = {"ComicInfo.xml": info("seven")} | {f"p{n:03}.jpg": jpeg(n) for n in range(1, 6)}
    write_cb7(path, seven)
    comics["cb7"] = Comic(path, 5)
    return comics


def _copies_and_namesakes(folder: Path) -> dict[str, Comic]:
    """One file in two folders under two names; two different files of one name."""
    twin = cbz(folder / "Twin A" / "Twin A 001.cbz", 8, title="twin")
    copy = folder / "Twin B" / "Twin B 001.cbz"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(twin, copy)
    first = cbz(folder / "Same One" / "Same 001.cbz", 4, title="same, the first")
    second = cbz(folder / "Same Two" / "Same 001.cbz", 5, title="same, the second")
    return {
        "twin-a": Comic(twin, 8),
        "twin-b": Comic(copy, 8),
        "same-1": Comic(first, 4),
        "same-2": Comic(second, 5),
    }


# --- the server and the other protocols ---------------------------------------------------


@dataclass(frozen=True)
class Served:
    """A running ``bagboard serve`` over the collection.

    ``reader`` has the web password ``PASSWORD``, an API token (``api_token``, for /api/v1,
    OPDS and Komga) and a token named for a KOReader (``kobo_token``); ``revoked_token`` was
    the reader's. ``other`` has ``OTHER_PASSWORD``. ``guard``, ``locked``, ``changer`` and
    ``upgraded`` have ``PASSWORD``: wrong keys are tried against the first, the sign-in
    throttle on the second, the third's password changes, the fourth's predates KOReader
    sync. ``kid`` (``PASSWORD``, ``kid_token``) sees only the private library."""

    base: str
    storage: Storage
    log: Path
    collection: Collection
    api_token: str
    kobo_token: str
    revoked_token: str
    kid_token: str

    @property
    def kosync(self) -> str:
        return self.base + "/koreader"

    def comic(self, name: str) -> Comic:
        return self.collection.comics[name]

    def koreader(self, user: str = "reader", password: str = PASSWORD, **more: Any) -> KOReader:
        """A KOReader signed in with a user name and its password."""
        return KOReader(self.kosync, user, md5_key(password), **more)

    def koreader_by_token(self, **more: Any) -> KOReader:
        """A KOReader signed in Komga's way: a device token as the user name, any password."""
        return KOReader(self.kosync, self.kobo_token, "anything", **more)

    def api(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.base,
            headers={"Authorization": f"Bearer {token or self.api_token}"},
            timeout=30,
        )

    def scan(self) -> None:
        self.storage.run("scan", "--library", str(self.collection.root), "--workers", "0")

    def listed(self, comic: Comic) -> dict[str, Any]:
        """The comic as ``/api/v1/library/issues`` lists it (filesystem mode)."""
        params = {"mode": "filesystem", "publisher": comic.publisher, "series": comic.series}
        with self.api() as api:
            answer = api.get("/api/v1/library/issues", params=params)
        assert answer.status_code == 200, answer.text
        items = [item for item in answer.json()["items"] if item["path"] == str(comic.path)]
        assert len(items) == 1, answer.json()
        return dict(items[0])

    def comic_id(self, comic: Comic) -> int:
        return int(self.listed(comic)["id"])

    def api_position(self, comic: Comic, token: str | None = None) -> Any:
        with self.api(token) as api:
            answer = api.get("/api/v1/progress", params={"path": str(comic.path)})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def komga_book(self, comic: Comic) -> dict[str, Any]:
        with self.api() as api:
            answer = api.get(f"/komga/api/v1/books/{self.comic_id(comic)}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def opds_progression(self, comic: Comic) -> httpx.Response:
        with self.api() as api:
            return api.get(f"/opds/v2.0/issue/{self.comic_id(comic)}/progression")

    @contextmanager
    def web(self, user: str = "reader", password: str = PASSWORD) -> Iterator[WebSession]:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            answer = client.post(
                "/login",
                data={"name": user, "password": password, "next": "/"},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
            yield WebSession(client)


@dataclass(frozen=True)
class WebSession:
    """A browser signed in to the web app, doing what its pages and ``reader.js`` do."""

    client: httpx.Client

    def reader_config(self, comic_id: int) -> dict[str, Any]:
        """The configuration the reader page starts ``reader.js`` from (``start`` is the page
        it opens at) and the page's CSRF token."""
        answer = self.client.get(f"/read/{comic_id}")
        assert answer.status_code == 200, answer.text
        found = re.search(r'<script type="application/json" id="reader-config">(.*?)</script>',
                          answer.text, re.S)  # fmt: skip
        assert found, "no reader configuration in the page"
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', answer.text)
        assert token, "no CSRF token in the reader page"
        config = json.loads(found.group(1))
        config["csrf"] = token.group(1)
        return dict(config)

    def issue_page(self, comic_id: int) -> str:
        answer = self.client.get(f"/issue/{comic_id}")
        assert answer.status_code == 200, answer.text
        return answer.text

    def turn_to(self, comic_id: int, page: int, *, read: bool = False) -> httpx.Response:
        """What ``reader.js`` sends when a page stays on screen."""
        csrf = self.reader_config(comic_id)["csrf"]
        return self.client.put(f"/web/api/issue/{comic_id}/progress",
                               json={"page": page, "read": read},
                               headers={"X-CSRF-Token": csrf})  # fmt: skip

    def mark_read(self, comic_id: int) -> httpx.Response:
        """The issue page's "Mark read" button."""
        page = self.issue_page(comic_id)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, "no CSRF token in the issue page"
        return self.client.post(f"/issue/{comic_id}/read",
                                data={"on": "1", "csrf_token": token.group(1)},
                                follow_redirects=False)  # fmt: skip


@dataclass(frozen=True)
class Storage:
    """Where a server and the ``bagboard`` commands beside it keep their data."""

    data_dir: Path
    url: str

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return bagboard(*args, "--database-url", self.url, data_dir=self.data_dir)

    def set_password(self, name: str, password: str) -> None:
        command = [sys.executable, "-m", "bagboard.cli", "user", "password", name]
        command += ["--data-dir", str(self.data_dir), "--database-url", self.url]
        done = subprocess.run(
            command, input=password + "\n", capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr

    def token(self, user: str, name: str) -> tuple[str, int]:
        """A new token's secret and id."""
        made = self.run("token", "create", "--user", user, "--name", name)
        found = re.search(r"token (\d+) ", made.stderr)
        assert found, made.stderr
        return made.stdout.strip(), int(found.group(1))


@contextmanager
def served_collection(base: Path, backend: str) -> Iterator[Served]:
    """The collection, its users and tokens, served from a fresh ``backend`` database."""
    collection = write_collection(base)
    with database_url(backend, base) as url:
        storage = Storage(base / "data", url)
        storage.run("scan", "--library", str(collection.root), "--library",
                    str(collection.private), "--workers", "0")  # fmt: skip
        for user in ("reader", "other", "guard", "locked", "changer", "upgraded"):
            storage.run("user", "add", user)
        storage.run("user", "add", "kid", "--library", str(collection.private))
        for user in ("reader", "guard", "locked", "changer", "upgraded", "kid"):
            storage.set_password(user, PASSWORD)
        storage.set_password("other", OTHER_PASSWORD)
        api_token, _ = storage.token("reader", "phone")
        kobo_token, _ = storage.token("reader", "KOReader on Kobo")
        revoked_token, revoked_id = storage.token("reader", "old e-reader")
        storage.run("token", "revoke", str(revoked_id))
        kid_token, _ = storage.token("kid", "tablet")
        log = base / "serve.log"
        ready = {"Authorization": f"Bearer {api_token}"}
        with serving("--no-watch", "--database-url", url, data_dir=storage.data_dir, log=log,
                     headers=ready) as address:  # fmt: skip
            yield Served(address, storage, log, collection, api_token, kobo_token,
                         revoked_token, kid_token)  # fmt: skip


def iso(moment: int) -> str:
    """Unix seconds as the ISO 8601 an OPDS reader writes in ``modified``."""
    return datetime.fromtimestamp(moment, UTC).isoformat()
