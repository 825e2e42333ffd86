"""A real, scanned library behind the real app, for the OPDS 2.0 tests.

Library A holds a 60-issue series (for paging), a comic of JPEG pages with full ComicInfo, one
of WebP pages, and a right-to-left manga; library B holds one comic that the limited user
``kid`` must never reach. Every page is a real image made with Pillow.
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.scanned_world import ScannedWorld, scanned_world

BASE = "http://testserver"
V2 = f"{BASE}/opds/v2.0"
OPDS_JSON = "application/opds+json"

SAGA_ISSUES = 60
SAGA_PAGES = 4
PLAIN = "Acme/Plain/Plain 01.cbz"
WEBP = "Acme/Webp/Webp 01.cbz"
MANGA = "Manga/Rtl/Rtl 01.cbz"
HIDDEN = "Secret/Hidden/Hidden 01.cbz"
PLAIN_INFO = {
    "Series": "Plain",
    "Number": "1",
    "Title": "First light",
    "Year": "2001",
    "Writer": "Ann Author, Bob Writer",
    "Publisher": "Acme",
    "Summary": "Where it begins.",
    "LanguageISO": "en",
}


def saga(number: int) -> str:
    return f"Image/Saga/Saga {number:03d}.cbz"


def webp_page(color: tuple[int, int, int], size: tuple[int, int] = (800, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="WEBP")
    return out.getvalue()


def jpeg_page(color: tuple[int, int, int]) -> bytes:
    return jpeg(color, (600, 900))


PLAIN_PAGES = {
    "p01.jpg": jpeg_page((220, 20, 20)),
    "p02.jpg": jpeg_page((20, 200, 20)),
    "p03.jpg": jpeg_page((20, 20, 220)),
}
WEBP_PAGES = {"w01.webp": webp_page((200, 200, 20)), "w02.webp": webp_page((20, 200, 200))}


def write_library(base: Path) -> tuple[Path, Path]:
    root_a, root_b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    comics: dict[Path, dict[str, bytes]] = {}
    for number in range(1, SAGA_ISSUES + 1):
        info = {
            "Series": "Saga",
            "Number": str(number),
            "Publisher": "Image",
            "Writer": "Brian K. Vaughan",
            "Year": "2012",
        }
        pages = {f"{n:02d}.jpg": jpeg((number * 4 % 256, n * 50, 90)) for n in range(SAGA_PAGES)}
        comics[root_a / saga(number)] = {**pages, "ComicInfo.xml": comicinfo_xml(info)}
    comics[root_a / PLAIN] = {**PLAIN_PAGES, "ComicInfo.xml": comicinfo_xml(PLAIN_INFO)}
    webp_info = {"Series": "Webp", "Number": "1", "Publisher": "Acme"}
    comics[root_a / WEBP] = {**WEBP_PAGES, "ComicInfo.xml": comicinfo_xml(webp_info)}
    manga_info = {
        "Series": "Rtl",
        "Number": "1",
        "Publisher": "Manga",
        "Manga": "yesandrighttoleft",
    }
    comics[root_a / MANGA] = {**PLAIN_PAGES, "ComicInfo.xml": comicinfo_xml(manga_info)}
    hidden_info = {"Series": "Hidden", "Number": "1", "Publisher": "Secret"}
    comics[root_b / HIDDEN] = {**PLAIN_PAGES, "ComicInfo.xml": comicinfo_xml(hidden_info)}
    for path, members in comics.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, members)
    return root_a, root_b


@dataclass
class Opds2World(ScannedWorld):
    def hidden_id(self) -> int:
        return self.id_of(HIDDEN, self.root_b)

    def feed(self, url: str, token: str | None = None) -> dict[str, Any]:
        response = self.get(url, token)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == OPDS_JSON
        body: dict[str, Any] = response.json()
        return body


def link(document: dict[str, Any], rel: str) -> dict[str, Any]:
    found = [item for item in document["links"] if item.get("rel") == rel]
    assert len(found) == 1, (rel, document["links"])
    return found[0]


def rels(document: dict[str, Any]) -> set[str]:
    return {item["rel"] for item in document["links"]}


def opds2_world(kind: str, tmp: pytest.TempPathFactory) -> AbstractContextManager[Opds2World]:
    return scanned_world(Opds2World, kind, tmp, write_library)
