"""A real, scanned library of every archive format behind the real app, for the issue tests.

Library A holds the comics below; library B holds one comic that the limited user ``kid``
must never reach. Pages are real images made with Pillow, each page a different colour, so a
test can tell which page a cover or a page response was made from.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from PIL import Image

from bagboard.adapters.memory.clock import ManualClock
from bagboard.config import load_settings
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, truncate, write_archive, write_cbz
from tests.browse_support import auth, database_url

CBR_DATA = Path(__file__).parent / "data" / "cbr"

RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)


def jpeg_page(color: tuple[int, int, int], size: tuple[int, int] = (600, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=90)
    return out.getvalue()


def alpha_png(size: tuple[int, int] = (300, 450)) -> bytes:
    """Transparent everywhere but a blue square in the middle."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (100, 150, 200, 300))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# Relative path in library A -> (container, members)
PAGES = {"p01.jpg": jpeg_page(RED), "p02.jpg": jpeg_page(GREEN), "p03.jpg": jpeg_page(BLUE)}
MARKED = comicinfo_xml(
    {"Series": "Marked", "Number": "1", "Writer": "Ann Author", "Publisher": "Acme"},
    pages=[{"Image": "0"}, {"Image": "1", "Type": "FrontCover"}, {"Image": "2"}],
)
BIG = os.urandom(3 * 1024 * 1024 + 12345)
COMICS: dict[str, tuple[ArchiveFormat, dict[str, bytes]]] = {
    "Acme/Plain/Plain 01.cbz": (ArchiveFormat.ZIP, dict(PAGES)),
    "Acme/Marked/Marked 01.cbz": (ArchiveFormat.ZIP, {**PAGES, "ComicInfo.xml": MARKED}),
    "Acme/Alpha/Alpha 01.cbz": (ArchiveFormat.ZIP, {"a.png": alpha_png()}),
    "Acme/Seven/Seven 01.cb7": (ArchiveFormat.SEVEN_ZIP, dict(PAGES)),
    "Acme/Tape/Tape 01.cbt": (ArchiveFormat.TAR, dict(PAGES)),
    "Acme/Empty/Empty 01.cbz": (ArchiveFormat.ZIP, {"notes.txt": b"no pages here"}),
    "Acme/Big/Big 01.cbz": (ArchiveFormat.ZIP, {"p01.jpg": jpeg_page(RED), "blob.bin": BIG}),
    "Acme/Ünïcode/Ça va 01.cbz": (ArchiveFormat.ZIP, {"p01.jpg": jpeg_page(GREEN)}),
}
CBR_STORED = "Acme/Rar/Rar stored.cbr"
CBR_COMPRESSED = "Acme/Rar/Rar compressed.cbr"
CORRUPT = "Acme/Broken/Broken 01.cbz"  # damaged after the scan: the index trusts it
TRUNCATED = "Acme/Broken/Truncated 01.cbz"  # damaged before: indexed as unreadable
HIDDEN = "Secret/Hidden/Hidden 01.cbz"


@dataclass
class IssueWorld:
    app: ComicLibrary
    client: TestClient[Any]
    root_a: Path
    root_b: Path
    owner: str
    kid: str
    data_dir: Path

    def id_of(self, relative: str, root: Path | None = None) -> int:
        comic = self.app.container.library_index().comic_at(str((root or self.root_a) / relative))
        assert comic is not None, relative
        return int(comic.id)

    def url(self, relative: str, suffix: str = "", root: Path | None = None) -> str:
        return f"/api/v1/issue/{self.id_of(relative, root)}{suffix}"

    def get(
        self,
        url: str,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> httpx.Response:
        return self.client.get(
            url, params=params, headers={**auth(token or self.owner), **(headers or {})}
        )


def write_library(base: Path) -> tuple[Path, Path]:
    root_a, root_b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    for relative, (container, members) in COMICS.items():
        path = root_a / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_archive(container, path, members)
    (root_a / "Acme/Rar").mkdir(parents=True)
    shutil.copyfile(CBR_DATA / "rar5-stored.cbr", root_a / CBR_STORED)
    shutil.copyfile(CBR_DATA / "rar5-compressed.cbr", root_a / CBR_COMPRESSED)
    broken = root_a / CORRUPT
    broken.parent.mkdir(parents=True)
    write_cbz(broken, dict(PAGES))
    truncate(write_cbz(root_a / TRUNCATED, dict(PAGES)))
    hidden = root_b / HIDDEN
    hidden.parent.mkdir(parents=True)
    write_cbz(hidden, dict(PAGES))
    return root_a, root_b


def corrupt_after_scan(path: Path) -> None:
    """Damage a comic's page data while keeping its size and date, so the index still trusts it."""
    stat = path.stat()
    data = bytearray(path.read_bytes())
    start = data.index(b"p01.jpg") + 7
    data[start : start + 400] = b"\xff" * 400
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextmanager
def issue_world(
    kind: str, tmp: pytest.TempPathFactory, *, clock: ManualClock | None = None
) -> Iterator[IssueWorld]:
    """``clock`` replaces the system clock, for tests that let the two-second caches expire."""
    base = tmp.mktemp(f"issues-{kind}")
    root_a, root_b = write_library(base)
    with database_url(kind, base) as url:
        data_dir = base / "data"
        overrides = {} if clock is None else {"clock": clock}
        settings = load_settings(data_dir=str(data_dir), database_url=url)
        app = ComicLibrary.from_settings(settings, workers=0, **overrides)
        try:
            lib_a = app.libraries.add(str(root_a), "A")
            lib_b = app.libraries.add(str(root_b), "B")
            for library in (lib_a, lib_b):
                app.scanner().scan(library)
            corrupt_after_scan(root_a / CORRUPT)
            owner = app.accounts.create_token().secret
            app.accounts.add_user("kid", Role.READER, [lib_a.id])
            kid = app.accounts.create_token("kid").secret
            with TestClient(app.create_app()) as client:
                yield IssueWorld(app, client, root_a, root_b, owner, kid, data_dir)
        finally:
            app.close()
