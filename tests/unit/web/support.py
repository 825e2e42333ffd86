"""A small scanned collection in two libraries behind the app with its web pages mounted.

Library A holds two series (one of them manga, read right to left) and library B one series
whose names appear nowhere in A, so a test can look for them in any page. Everyone signs in
with ``PASSWORD`` through the real ``WebSessionService``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.domain.model import Library, Role
from bagboard.library import ComicLibrary
from bagboard.services.web_sessions import WebSessionService
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

PASSWORD = "correct horse battery"
HIDDEN_NAMES = ("Secret Press", "Hidden Depths")


@dataclass
class WebWorld:
    library: ComicLibrary
    app: Any
    sessions: WebSessionService
    lib_a: Library
    lib_b: Library
    owner_token: str

    def client(self, *, base_url: str = "http://testserver.local") -> TestClient[Any]:
        # Not entered: several clients share one app, and each would run its lifespan.
        return TestClient(self.app, base_url=base_url)

    def signed_in(self, name: str) -> TestClient[Any]:
        client = self.client()
        answer = client.post(
            "/login",
            data={"name": name, "password": PASSWORD, "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return client

    def comic_id(self, path: str) -> int:
        comic = self.library.container.library_index().comic_at(path)
        assert comic is not None, path
        return int(comic.id)


def csrf(page_html: str) -> str:
    """The CSRF token a page carries in its forms (or the reader's meta tag)."""
    found = re.search(r'name="csrf[-_]token" (?:value|content)="([^"]+)"', page_html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _write(path: Path, info: dict[str, str], pages: int, color: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    members = {f"p{n:03}.jpg": jpeg((color[0], color[1], n * 20)) for n in range(1, pages + 1)}
    members["ComicInfo.xml"] = comicinfo_xml(info)
    write_cbz(path, members)


def write_libraries(base: Path) -> tuple[Path, Path]:
    a, b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    for n in (1, 2, 3):
        info = {"Publisher": "Orbit", "Series": "Night Owls", "Number": str(n), "Year": "2001"}
        _write(a / "Orbit" / "Night Owls" / f"Night Owls {n:02}.cbz", info, 5, (200, 40, 40))
    manga = {
        "Publisher": "Kodo",
        "Series": "Paper Moon",
        "Number": "1",
        "Title": "First Light",
        "Writer": "A. Writer",
        "Manga": "YesAndRightToLeft",
    }
    _write(a / "Kodo" / "Paper Moon" / "Paper Moon 01.cbz", manga, 4, (40, 40, 200))
    hidden = {"Publisher": HIDDEN_NAMES[0], "Series": HIDDEN_NAMES[1], "Number": "1"}
    _write(b / "Secret Press" / "Hidden Depths" / "Hidden Depths 01.cbz", hidden, 3, (9, 9, 9))
    (b / "Secret Press" / "Hidden Depths" / "Hidden Depths 02.cbz").write_bytes(b"not a zip")
    return a, b


@contextmanager
def web_world(base: Path) -> Iterator[WebWorld]:
    root_a, root_b = write_libraries(base)
    settings = load_settings(
        data_dir=str(base / "data"), database_url=f"sqlite:///{base / 'web.db'}"
    )
    library = ComicLibrary.from_settings(settings, workers=0)
    try:
        lib_a = library.libraries.add(str(root_a), "A")
        lib_b = library.libraries.add(str(root_b), "B")
        scanner = library.scanner()
        for lib in (lib_a, lib_b):
            scanner.scan(lib)
        sessions = library.web_sessions
        owner_token = library.accounts.create_token().secret
        library.accounts.add_user("kid", Role.READER, [lib_a.id])
        for name in ("owner", "kid"):
            sessions.set_password(name, PASSWORD)
        world = WebWorld(library, library.create_app(), sessions, lib_a, lib_b, owner_token)
        yield world
    finally:
        library.close()
