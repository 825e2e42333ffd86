"""A library folder of PDFs scanned through ``ComicLibrary``: indexed, covered, paged, and the
hostile ones listed as problems with their reason while the rest are served.

Run on the SQLite database of a data folder and on the in-memory stores; the PostgreSQL
contract suites cover the index itself, which stores a PDF like any comic.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from bagboard.adapters.archive.pdf import MAX_LONG_EDGE
from bagboard.config import load_settings
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.model import Library, User
from bagboard.library import ComicLibrary
from tests.pdf_factory import (
    MANY_PAGES,
    page_images,
    write_encrypted_pdf,
    write_huge_page_pdf,
    write_many_pages_pdf,
    write_pdf,
    write_pdf_with_comicinfo,
    write_truncated_pdf,
)


@dataclass
class World:
    app: ComicLibrary
    owner: User
    library: Library

    def comic(self, relative: str) -> IndexedComic:
        found = self.app.container.library_index().comic_at(f"{self.library.root}/{relative}")
        assert found is not None, relative
        return found


def write_folder(root: Path) -> Path:
    series = root / "Publisher" / "Night Watch"
    write_pdf(
        series / "Night Watch 003 (1987).pdf",
        page_images(4, (300, 450)),
        info={"title": "The Long Night", "author": "Ann Author"},
    )
    write_pdf_with_comicinfo(
        series / "tagged.pdf",
        {"Series": "Night Watch", "Number": "4", "Title": "Dawn", "Writer": "Bea Writer"},
        pages=2,
    )
    write_encrypted_pdf(series / "Night Watch 005.pdf")
    write_truncated_pdf(series / "Night Watch 006.pdf")
    write_many_pages_pdf(root / "Publisher" / "Atlas" / "Atlas 001.pdf", pages=MANY_PAGES)
    write_huge_page_pdf(root / "Publisher" / "Poster" / "Poster 001.pdf")
    return root


@pytest.fixture(params=["sqlite", "memory"])
def world(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    root = write_folder(tmp_path / "comics")
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path / "data")),
        memory=request.param == "memory",
        workers=0,
    )
    library = app.add_folder(root, "Comics")
    app.scan()
    yield World(app, app.accounts.owner(), library)
    app.close()


def dimensions(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_pdfs_are_indexed_with_their_pages_and_metadata(world: World) -> None:
    plain = world.comic("Publisher/Night Watch/Night Watch 003 (1987).pdf")
    assert plain.format is ArchiveFormat.PDF
    assert plain.error is None
    assert plain.page_count == 4
    assert plain.comic_info is not None
    # Document information, then the name for what it does not say.
    assert plain.comic_info.title == "The Long Night"
    assert plain.comic_info.writer == "Ann Author"
    assert plain.comic_info.series == "Night Watch"
    assert plain.comic_info.number == "3"

    tagged = world.comic("Publisher/Night Watch/tagged.pdf")
    assert tagged.page_count == 2
    assert tagged.comic_info is not None
    assert (tagged.comic_info.series, tagged.comic_info.number) == ("Night Watch", "4")
    assert (tagged.comic_info.title, tagged.comic_info.writer) == ("Dawn", "Bea Writer")

    many = world.comic("Publisher/Atlas/Atlas 001.pdf")
    assert (many.error, many.page_count) == (None, MANY_PAGES)


def test_unreadable_pdfs_are_problems_with_their_reason(world: World) -> None:
    problems = {view.relative_path: view.problem.error for view in world.app.problems.list().items}
    assert problems == {
        "Publisher/Night Watch/Night Watch 005.pdf": "the PDF is encrypted",
        "Publisher/Night Watch/Night Watch 006.pdf": "the PDF is corrupt or truncated",
    }


def test_covers_and_pages_render_within_bounds(world: World) -> None:
    plain = world.comic("Publisher/Night Watch/Night Watch 003 (1987).pdf")
    issues = world.app.issues
    assert dimensions(issues.cover(world.owner, plain.id, 320).data) == (213, 320)
    pages = issues.pages(world.owner, plain.id)
    assert [(p.width, p.height, p.media_type) for p in pages] == [(300, 450, "image/jpeg")] * 4
    assert dimensions(issues.page_image(world.owner, plain.id, 2).data) == (300, 450)
    assert dimensions(issues.stream_page(world.owner, plain.id, 1, 100).data) == (100, 150)

    poster = world.comic("Publisher/Poster/Poster 001.pdf")
    assert dimensions(issues.cover(world.owner, poster.id, 320).data) == (320, 320)
    full = issues.page_image(world.owner, poster.id, 1)
    assert dimensions(full.data) == (MAX_LONG_EDGE, MAX_LONG_EDGE)
    assert dimensions(issues.stream_page(world.owner, poster.id, 0, 640).data) == (640, 640)


def test_ten_thousand_pages_list_without_rendering_and_serve_any_page(world: World) -> None:
    many = world.comic("Publisher/Atlas/Atlas 001.pdf")
    issues = world.app.issues
    pages = issues.pages(world.owner, many.id)
    assert len(pages) == MANY_PAGES
    assert pages[-1].number == MANY_PAGES
    assert (pages[-1].width, pages[-1].height) == (840, 1190)
    assert dimensions(issues.page_image(world.owner, many.id, MANY_PAGES, 200).data) == (142, 200)


def test_a_changed_pdf_is_read_again(world: World) -> None:
    path = Path(world.comic("Publisher/Night Watch/Night Watch 006.pdf").path)
    write_pdf(path, 5)
    later = time.time() + 5
    os.utime(path, (later, later))
    world.app.scan()
    fixed = world.comic("Publisher/Night Watch/Night Watch 006.pdf")
    assert (fixed.error, fixed.page_count) == (None, 5)
