"""Writers of real PDF comics for tests: Pillow for pages, pypdf for what Pillow cannot write.

Pillow writes one page per image and stores an RGB image as a JPEG stream filling the page,
which is what a scanned comic in a PDF looks like. pypdf adds what some tools add to such a
file (a ComicInfo.xml attachment) and what a hostile or unlucky collection holds (encryption,
ten thousand pages, a page of 20,000 x 20,000 points).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from tests.archive_factory import comicinfo_xml

__all__ = [
    "HUGE_POINTS",
    "MANY_PAGES",
    "page_images",
    "pdf_bytes",
    "write_encrypted_pdf",
    "write_huge_page_pdf",
    "write_many_pages_pdf",
    "write_pdf",
    "write_pdf_with_comicinfo",
    "write_truncated_pdf",
]

MANY_PAGES = 10_000
HUGE_POINTS = 20_000

_COLORS = ((200, 30, 30), (30, 160, 40), (40, 60, 200), (220, 200, 20), (120, 20, 160))


def page_images(count: int, size: tuple[int, int] = (60, 90)) -> list[Image.Image]:
    """``count`` RGB pages of ``size`` pixels, each a different colour."""
    return [Image.new("RGB", size, _COLORS[i % len(_COLORS)]) for i in range(count)]


def pdf_bytes(
    pages: int | Sequence[Image.Image] = 3,
    *,
    info: Mapping[str, object] | None = None,
) -> bytes:
    """A PDF of one page per image (or ``pages`` coloured pages); ``info`` sets the document
    information Pillow knows: title, author, subject, keywords, creationDate (a
    ``time.struct_time``)."""
    images = page_images(pages) if isinstance(pages, int) else list(pages)
    out = io.BytesIO()
    extra = dict(info or {})
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72, **extra)
    return out.getvalue()


def write_pdf(
    path: Path,
    pages: int | Sequence[Image.Image] = 3,
    *,
    info: Mapping[str, object] | None = None,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, info=info))
    return path


def _rewrite(source: bytes) -> PdfWriter:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(source)))
    return writer


def _save(writer: PdfWriter, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        writer.write(file)
    return path


def write_pdf_with_comicinfo(
    path: Path,
    fields: Mapping[str, str],
    *,
    pages: int = 3,
    attachment_name: str = "ComicInfo.xml",
    info: Mapping[str, object] | None = None,
) -> Path:
    """A PDF carrying ComicInfo.xml (of ``fields``) as an embedded file attachment."""
    writer = _rewrite(pdf_bytes(pages, info=info))
    writer.add_attachment(attachment_name, comicinfo_xml(fields))
    return _save(writer, path)


def write_encrypted_pdf(path: Path, *, pages: int = 2, password: str = "secret") -> Path:
    """A PDF that opens only with a password."""
    writer = _rewrite(pdf_bytes(pages))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    return _save(writer, path)


def write_truncated_pdf(path: Path, *, pages: int = 3, keep: float = 0.4) -> Path:
    """The first ``keep`` of a PDF: no cross-reference table, no trailer, pages cut off."""
    data = pdf_bytes(pages)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write_many_pages_pdf(path: Path, *, pages: int = MANY_PAGES) -> Path:
    """A PDF of ``pages`` blank A5 pages (cheap to write, costly if anyone renders them all)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    return _save(writer, path)


def write_huge_page_pdf(path: Path, *, points: int = HUGE_POINTS) -> Path:
    """A one-page PDF whose page is ``points`` x ``points`` (at 72 dpi, 20,000 points are
    over 7 metres: rendered at face value, some 1.6 gigabytes of pixels)."""
    writer = PdfWriter()
    writer.add_blank_page(width=points, height=points)
    return _save(writer, path)
