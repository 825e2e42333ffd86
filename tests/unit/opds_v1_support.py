"""A real, scanned library behind the real app, for the OPDS 1.2 and page streaming tests.

Library A holds Saga (three issues: JPEG pages, WebP pages, a PNG page with transparency,
numbered 1, 2 and 10 so that natural order shows), a comic whose name needs escaping, a CBR,
and a 60-issue series for paging. Library B holds one comic of the same publisher that the
limited user ``kid`` must never reach. Every page of Saga #1 is a different colour, so a test
can tell which page it got.
"""

from __future__ import annotations

import io
import shutil
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree

import pytest
from PIL import Image

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.scanned_world import ScannedWorld, scanned_world

CBR_FIXTURE = Path(__file__).parent.parent / "data" / "cbr" / "rar5-stored.cbr"

ATOM: Final = "http://www.w3.org/2005/Atom"
PSE: Final = "http://vaemendis.net/opds-pse/ns"
DCTERMS: Final = "http://purl.org/dc/terms/"
OPENSEARCH: Final = "http://a9.com/-/spec/opensearch/1.1/"
NS: Final = {"a": ATOM, "pse": PSE, "dcterms": DCTERMS, "os": OPENSEARCH}
NAVIGATION: Final = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION: Final = "application/atom+xml;profile=opds-catalog;kind=acquisition"
REL_STREAM: Final = "http://vaemendis.net/opds-pse/stream"
REL_ACQUISITION: Final = "http://opds-spec.org/acquisition"
V1: Final = "/opds/v1.2"

RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)


def image_bytes(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, quality=90) if fmt in ("JPEG", "WEBP") else image.save(out, fmt)
    return out.getvalue()


def page(
    color: tuple[int, int, int], fmt: str = "JPEG", size: tuple[int, int] = (600, 900)
) -> bytes:
    return image_bytes(Image.new("RGB", size, color), fmt)


def alpha_png(size: tuple[int, int] = (400, 600)) -> bytes:
    """Transparent everywhere but a blue square in the middle."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (150, 250, 250, 350))
    return image_bytes(image, "PNG")


def info(series: str, number: str, publisher: str, **more: str) -> bytes:
    return comicinfo_xml({"Series": series, "Number": number, "Publisher": publisher, **more})


SAGA_1: Final = "Image/Saga/Saga 001.cbz"
SAGA_2: Final = "Image/Saga/Saga 002.cbz"
SAGA_10: Final = "Image/Saga/Saga 010.cbz"
ODD: Final = "Acme/Odd & Ends/Odd & Ends #1 (50%).cbz"
CBR: Final = "Acme/Rar/Rar 01.cbr"
LONG: Final = "Acme/Long/Long {:03d}.cbz"
HIDDEN: Final = "Image/Hidden/Hidden 01.cbz"
EMPTY: Final = "Acme/Empty/Empty 01.cbz"  # no page at all
SAGA_PAGES: Final = {"p01.jpg": page(RED), "p02.jpg": page(GREEN), "p03.jpg": page(BLUE)}
SAGA_INFO: Final = info(
    "Saga",
    "1",
    "Image",
    Title="Chapter One",
    Writer="Brian K. Vaughan, Fiona Staples",
    Year="2012",
    LanguageISO="en",
    Summary="War & love <in space>",
)


def write_library(base: Path) -> tuple[Path, Path]:
    root_a, root_b = (base / "comics-a").resolve(), (base / "comics-b").resolve()
    comics = {
        root_a / SAGA_1: {**SAGA_PAGES, "ComicInfo.xml": SAGA_INFO},
        root_a / SAGA_2: {
            "a.webp": page(GREEN, "WEBP"),
            "b.webp": page(BLUE, "WEBP"),
            "ComicInfo.xml": info("Saga", "2", "Image"),
        },
        root_a / SAGA_10: {"a.png": alpha_png(), "ComicInfo.xml": info("Saga", "10", "Image")},
        root_a / ODD: {
            "p.jpg": jpeg(RED),
            "ComicInfo.xml": info("Odd & Ends", "1", "Acme & Sons"),
        },
        root_a / EMPTY: {"notes.txt": b"-", "ComicInfo.xml": info("Empty", "1", "Acme")},
        root_b / HIDDEN: {"p.jpg": jpeg(RED), "ComicInfo.xml": info("Hidden", "1", "Image")},
    }
    for number in range(1, 61):
        comics[root_a / LONG.format(number)] = {
            "p.jpg": jpeg(GREEN),
            "ComicInfo.xml": info("Long", str(number), "Acme"),
        }
    for path, members in comics.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, members)
    (root_a / CBR).parent.mkdir(parents=True)
    shutil.copyfile(CBR_FIXTURE, root_a / CBR)
    return root_a, root_b


@dataclass
class OpdsWorld(ScannedWorld):
    def feed(self, url: str, token: str | None = None, **params: Any) -> ElementTree.Element:
        """The feed at ``url`` (absolute or from the server root), parsed; it must be Atom."""
        response = self.get(url, token, **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/atom+xml;profile=")
        return ElementTree.fromstring(response.content)


def opds_world(kind: str, tmp: pytest.TempPathFactory) -> AbstractContextManager[OpdsWorld]:
    return scanned_world(OpdsWorld, kind, tmp, write_library)


# --- reading feeds -------------------------------------------------------------------------


def links(element: ElementTree.Element, rel: str) -> list[ElementTree.Element]:
    return [link for link in element.findall("a:link", NS) if link.get("rel") == rel]


def link(element: ElementTree.Element, rel: str) -> ElementTree.Element:
    found = links(element, rel)
    assert len(found) == 1, (rel, [ElementTree.tostring(x) for x in found])
    return found[0]


def entries(feed: ElementTree.Element) -> list[ElementTree.Element]:
    return feed.findall("a:entry", NS)


def titles(feed: ElementTree.Element) -> list[str]:
    return [entry.findtext("a:title", "", NS) for entry in entries(feed)]


def entry_titled(feed: ElementTree.Element, title: str) -> ElementTree.Element:
    found = [entry for entry in entries(feed) if entry.findtext("a:title", "", NS) == title]
    assert len(found) == 1, (title, titles(feed))
    return found[0]


def entry_of(feed: ElementTree.Element, comic_id: int) -> ElementTree.Element:
    found = [
        e for e in entries(feed) if e.findtext("a:id", "", NS) == f"urn:bagboard:issue:{comic_id}"
    ]
    assert len(found) == 1, (comic_id, titles(feed))
    return found[0]


def pse(element: ElementTree.Element, name: str) -> str | None:
    return element.get(f"{{{PSE}}}{name}")


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def near(pixel: Any, color: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(int(a) - b) <= tolerance for a, b in zip(pixel, color, strict=True))
