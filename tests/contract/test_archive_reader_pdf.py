"""``ArchiveReader`` over PDFs: pages rendered within bounds, metadata, hostile documents.

The PDFs are written by ``tests/pdf_factory.py``: Pillow pages (each an embedded JPEG filling
the page), pypdf for attachments, encryption, ten thousand pages and a giant page.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bagboard.adapters.archive import FileArchiveReader, pdf
from bagboard.adapters.archive.pdf import MAX_LONG_EDGE
from bagboard.domain.archive import ArchiveFormat, format_for_name
from bagboard.domain.errors import ArchiveMissing, ArchiveUnreadable
from tests.archive_factory import jpeg, write_cbz
from tests.pdf_factory import (
    HUGE_POINTS,
    MANY_PAGES,
    page_images,
    write_encrypted_pdf,
    write_huge_page_pdf,
    write_many_pages_pdf,
    write_pdf,
    write_pdf_with_comicinfo,
    write_truncated_pdf,
)


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


def colour_of(data: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as image:
        pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert isinstance(pixel, tuple)
        return pixel


@pytest.fixture(params=[0, 4], ids=["fresh", "kept-open"])
def reader(request: pytest.FixtureRequest) -> FileArchiveReader:
    reader = FileArchiveReader(open_handles=request.param)
    request.addfinalizer(reader.close)
    return reader


def test_pdf_is_a_comic_extension_and_a_format() -> None:
    assert format_for_name("Some Comic 001.PDF") is ArchiveFormat.PDF
    assert FileArchiveReader().formats()["pdf"] is True


def test_pages_are_named_in_order_and_read_as_the_embedded_images(
    tmp_path: Path, reader: FileArchiveReader
) -> None:
    path = str(write_pdf(tmp_path / "c.pdf", page_images(12, (80, 120))))
    summary = reader.inspect(path)
    assert summary.format is ArchiveFormat.PDF
    assert summary.page_count == 12
    assert summary.pages[0] == "page-00001.jpg"
    assert list(summary.pages) == sorted(summary.pages)
    assert reader.page_sizes(path) == ((80, 120),) * 12
    assert summary.kosync_pages is None
    first, second = (reader.read_member(path, name) for name in summary.pages[:2])
    assert size_of(first) == (80, 120)
    assert colour_of(first)[0] > 150 > colour_of(first)[1]  # red
    assert colour_of(second)[1] > 120 > colour_of(second)[0]  # green


def test_a_rendered_page_fits_the_size_asked(tmp_path: Path, reader: FileArchiveReader) -> None:
    # A turned page is rendered (its image is stored upright), not served as its image.
    path = write_pdf(tmp_path / "c.pdf", page_images(1, (600, 900)))
    writer = PdfWriter()
    writer.append(PdfReader(str(path)))
    writer.pages[0].rotate(90)
    with path.open("wb") as file:
        writer.write(file)
    summary = reader.inspect(str(path))
    assert reader.page_sizes(str(path)) == ((1800, 1200),)  # 144 dpi, turned
    assert size_of(reader.read_member(str(path), summary.pages[0])) == (1800, 1200)
    small = reader.read_member(str(path), summary.pages[0], long_edge=300)
    assert max(size_of(small)) <= 300


def test_a_huge_page_renders_within_the_cap(tmp_path: Path, reader: FileArchiveReader) -> None:
    path = str(write_huge_page_pdf(tmp_path / "huge.pdf"))
    summary = reader.inspect(path)
    assert reader.page_sizes(path) == ((MAX_LONG_EDGE, MAX_LONG_EDGE),)
    assert size_of(reader.read_member(path, summary.pages[0])) == (MAX_LONG_EDGE, MAX_LONG_EDGE)
    # Asking for more than the cap does not get past it either.
    big = reader.read_member(path, summary.pages[0], long_edge=HUGE_POINTS)
    assert size_of(big) == (MAX_LONG_EDGE, MAX_LONG_EDGE)
    assert size_of(reader.read_member(path, summary.pages[0], long_edge=150)) == (150, 150)


def test_ten_thousand_pages_are_counted_without_rendering(
    tmp_path: Path, reader: FileArchiveReader
) -> None:
    path = str(write_many_pages_pdf(tmp_path / "many.pdf"))
    summary = reader.inspect(path)
    assert summary.page_count == MANY_PAGES
    assert summary.pages[-1] == f"page-{MANY_PAGES:05d}.jpg"
    sizes = reader.page_sizes(path)
    assert sizes is not None and len(sizes) == MANY_PAGES
    assert size_of(reader.read_member(path, summary.pages[-1], long_edge=200)) == (142, 200)


def test_document_information_becomes_comicinfo(tmp_path: Path) -> None:
    info = {
        "title": "The Long Night",
        "author": "Ann Author",
        "subject": "A story of a night.",
        "keywords": "noir; crime, city",
        "creationDate": time.strptime("1987-05-02", "%Y-%m-%d"),
    }
    path = str(write_pdf(tmp_path / "c.pdf", 2, info=info))
    comic_info = FileArchiveReader().inspect(path).comic_info
    assert comic_info is not None
    assert comic_info.title == "The Long Night"
    assert comic_info.writer == "Ann Author"
    assert comic_info.summary == "A story of a night."
    assert comic_info.tags == "noir, crime, city"
    assert comic_info.year == "1987"


@pytest.mark.parametrize("name", ["ComicInfo.xml", "comicinfo.XML"])
def test_an_attached_comicinfo_wins(tmp_path: Path, name: str) -> None:
    path = write_pdf_with_comicinfo(
        tmp_path / "c.pdf",
        {"Series": "Attached", "Number": "4", "Writer": "From XML"},
        attachment_name=name,
        info={"author": "From Info"},
    )
    summary = FileArchiveReader().inspect(str(path))
    assert summary.page_count == 3
    assert summary.comic_info is not None
    assert (summary.comic_info.series, summary.comic_info.number) == ("Attached", "4")
    assert summary.comic_info.writer == "From XML"


def test_an_oversized_attachment_is_ignored(tmp_path: Path) -> None:
    path = write_pdf_with_comicinfo(tmp_path / "c.pdf", {"Series": "S" * 500})
    summary = FileArchiveReader(max_comicinfo_bytes=200).inspect(str(path))
    assert summary.page_count == 3
    assert summary.comic_info is None


def test_an_encrypted_pdf_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = str(write_encrypted_pdf(tmp_path / "locked.pdf"))
    with pytest.raises(ArchiveUnreadable, match="the PDF is encrypted"):
        FileArchiveReader().inspect(path)


def test_a_truncated_pdf_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = str(write_truncated_pdf(tmp_path / "cut.pdf"))
    with pytest.raises(ArchiveUnreadable, match="the PDF is corrupt or truncated"):
        FileArchiveReader().inspect(path)


def test_image_archives_have_no_page_sizes_to_give(tmp_path: Path) -> None:
    path = str(write_cbz(tmp_path / "c.cbz", {"p1.jpg": jpeg((0, 0, 0))}))
    assert FileArchiveReader().page_sizes(path) is None


def test_missing_pdf_and_unknown_pages(tmp_path: Path, reader: FileArchiveReader) -> None:
    with pytest.raises(ArchiveMissing):
        reader.inspect(str(tmp_path / "gone.pdf"))
    path = str(write_pdf(tmp_path / "c.pdf", 2))
    for name in ("page-00003.jpg", "page-00000.jpg", "page-1.jpg", "../page-00001.jpg"):
        with pytest.raises(ArchiveUnreadable, match="no such page"):
            reader.read_member(path, name)


def test_a_page_over_the_byte_cap_is_refused(tmp_path: Path) -> None:
    path = str(write_pdf(tmp_path / "c.pdf", page_images(1, (400, 600))))
    with pytest.raises(ArchiveUnreadable, match="larger than"):
        FileArchiveReader(max_member_bytes=100).read_member(path, "page-00001.jpg")


def test_threads_rendering_at_once_get_their_own_pages(tmp_path: Path) -> None:
    path = str(write_huge_page_pdf(tmp_path / "huge.pdf"))
    other = str(write_pdf(tmp_path / "c.pdf", page_images(5, (50, 70))))
    reader = FileArchiveReader(open_handles=2)
    results: dict[int, tuple[int, int]] = {}

    def work(number: int) -> None:
        target, name = (path, "page-00001.jpg") if number % 2 else (other, "page-00003.jpg")
        results[number] = size_of(reader.read_member(target, name, long_edge=400))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader.close()
    assert results == {n: (400, 400) if n % 2 else (50, 70) for n in range(8)}


def test_more_pages_than_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 5)
    path = str(write_pdf(tmp_path / "c.pdf", 6))
    with pytest.raises(ArchiveUnreadable, match="more than 5 pages"):
        FileArchiveReader().inspect(path)


def test_a_long_pdf_renders_its_pages_rather_than_look_into_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PROBE_PAGES", 2)
    path = str(write_pdf(tmp_path / "c.pdf", page_images(3, (60, 90))))
    reader = FileArchiveReader()
    # 60x90 points at 144 dpi, where a short PDF serves the 60x90-pixel images themselves.
    assert reader.page_sizes(path) == ((120, 180),) * 3
    assert size_of(reader.read_member(path, "page-00003.jpg")) == (120, 180)


def test_a_pdf_being_rendered_holds_up_no_other_format(tmp_path: Path) -> None:
    comic = str(write_cbz(tmp_path / "c.cbz", {"p1.jpg": jpeg((0, 90, 0))}))
    reader = FileArchiveReader()
    got: list[bytes] = []
    # pdfium's lock, as a long render holds it.
    with pdf._LOCK:
        worker = threading.Thread(target=lambda: got.append(reader.read_member(comic, "p1.jpg")))
        worker.start()
        worker.join(timeout=60)
        assert got == [jpeg((0, 90, 0))]


@pytest.mark.parametrize(
    ("cap", "value", "reason"),
    [
        ("MAX_IMAGE_PIXELS", 1000, "an image too large to render safely"),
        ("MAX_PAGE_OBJECTS", 0, "too complex to render"),
    ],
)
def test_a_page_beyond_the_render_bounds_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: str, value: int, reason: str
) -> None:
    # Not looked into for an embedded JPEG, so its one 60x90 image must be rendered.
    monkeypatch.setattr(pdf, "PROBE_PAGES", 0)
    monkeypatch.setattr(pdf, cap, value)
    path = str(write_pdf(tmp_path / "c.pdf", page_images(2, (60, 90))))
    reader = FileArchiveReader()
    assert reader.inspect(path).page_count == 2
    with pytest.raises(ArchiveUnreadable, match=reason):
        reader.read_member(path, "page-00002.jpg")
