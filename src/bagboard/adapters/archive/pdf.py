"""PDF comics through pdfium (pypdfium2): pages rendered to JPEG at the size asked.

A PDF has no image members, so its pages get synthetic names in page order
(``page-00001.jpg``...), safe and naturally sorted, which the rest of the server treats like
any archive's. Reading one renders that page, never the whole book, and always within bounds:
at 144 dpi but with a long edge of at most ``MAX_LONG_EDGE`` pixels whatever the page's size
in points (a 20,000-point page renders as quickly as a letter page), or smaller when the
caller says how big the image will be shown (a 300-pixel cover renders at about 300 pixels).

A page that is nothing but one JPEG covering it (a scanned comic) is served as that JPEG's
own bytes: no rendering, no loss. Its size is then the image's, and ``page_sizes`` tells both
kinds without rendering anything, so a page list of 10,000 pages costs no rasterising.

pdfium is not thread-safe: every call into it, from any handle, holds one lock per process.
Renders are bounded, so the wait is short; servers render in worker threads and scans read
in a process pool, where each process has its own pdfium and its own lock.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
import threading
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bagboard.adapters.archive.pdf_info import attached_comicinfo, info_comicinfo
from bagboard.adapters.archive.source import MemberSource, MemberTooLarge
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.errors import ArchiveUnreadable

__all__ = [
    "ENCRYPTED",
    "MAX_LONG_EDGE",
    "MAX_PDF_PAGES",
    "PDF_UNREADABLE",
    "PdfSource",
    "page_name",
]

ENCRYPTED = "the PDF is encrypted"
PDF_UNREADABLE = "the PDF is corrupt or truncated"
# The long edge of a rendered page, whatever its size in points or the size asked.
MAX_LONG_EDGE = 2400
# 144 dpi: sharp on a tablet for an A4 or comic-sized page, still below the cap.
NATURAL_SCALE = 2.0
# More pages than any comic has: the index keeps a name per page.
MAX_PDF_PAGES = 100_000
# Up to this many pages, each is looked at for a single embedded JPEG (a page load, no
# render); beyond, every page is rendered, so a huge document opens in bounded time.
PROBE_PAGES = 2_000
# An embedded JPEG served as it is stays within what the image decoder takes comfortably.
MAX_EMBEDDED_EDGE = 6_000
# What a page may hold before it is refused rather than rendered: an image is decoded whole
# whatever size it is drawn at (200 megapixels is a page scanned at 1,200 dpi, twice over), and
# rendering time grows with the number of objects.
MAX_IMAGE_PIXELS = 200_000_000
MAX_PAGE_OBJECTS = 250_000
JPEG_QUALITY = 85

_LOCK = threading.RLock()
_NAME = re.compile(r"^page-(\d{5,})\.jpg$")
_PLAIN_COLOURS = frozenset(
    {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB}
)
# How far an image may fall short of the page's edges and still "cover" it (a fraction).
_COVER_SLACK = 0.01

Size = tuple[int, int]


def page_name(index: int) -> str:
    """The member name of page ``index`` (from 0)."""
    return f"page-{index + 1:05d}.jpg"


def _opening_error(exc: pdfium.PdfiumError) -> ArchiveUnreadable:
    if "password" in str(exc).casefold():
        return ArchiveUnreadable(ENCRYPTED)
    return ArchiveUnreadable(PDF_UNREADABLE)


def _scale(width: float, height: float, long_edge: int | None) -> float:
    """The render scale: 144 dpi, shrunk so the long edge fits the cap and ``long_edge``."""
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise ArchiveUnreadable("the PDF page has no size")
    target = MAX_LONG_EDGE if long_edge is None else max(1, min(long_edge, MAX_LONG_EDGE))
    # Just under the target, so rounding up (as rendering does) never passes it.
    return min(NATURAL_SCALE, (target - 0.01) / max(width, height))


def _rendered_size(width: float, height: float, scale: float) -> Size:
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


class PdfSource(MemberSource):
    """One open PDF. Besides the ``MemberSource`` calls, ``render`` takes the size wanted."""

    def __init__(self, path: str) -> None:
        with _LOCK:
            try:
                self._document = pdfium.PdfDocument(path)
            except pdfium.PdfiumError as exc:
                raise _opening_error(exc) from exc
            self._count = len(self._document)
            if self._count > MAX_PDF_PAGES:
                self._document.close()
                raise ArchiveUnreadable(f"the PDF has more than {MAX_PDF_PAGES} pages")
        self._probe = self._count <= PROBE_PAGES

    def names(self) -> list[str]:
        return [page_name(index) for index in range(self._count)]

    def check_readable(self, name: str) -> None:
        self._index(name)

    def read(self, name: str, limit: int) -> bytes:
        return self.render(name, None, limit)

    def render(self, name: str, long_edge: int | None, limit: int) -> bytes:
        """Page ``name`` as a JPEG: its embedded JPEG, or rendered to fit ``long_edge``."""
        index = self._index(name)
        with _LOCK, self._page(index) as page:
            try:
                embedded = self._embedded(page)
                data = bytes(embedded[0].get_data(decode_simple=False)) if embedded else None
                if data is None or not data.startswith(b"\xff\xd8"):
                    data = _render(page, long_edge)
            except pdfium.PdfiumError as exc:
                raise ArchiveUnreadable(PDF_UNREADABLE) from exc
        if len(data) > limit:
            raise MemberTooLarge
        return data

    def page_sizes(self) -> tuple[Size, ...]:
        """Every page's size in pixels as ``read`` serves it, found without rendering."""
        # The lock is taken page by page: measuring a long PDF lets other renders in between.
        return tuple(self._size(index) for index in range(self._count))

    def comic_info(
        self, max_bytes: int, parse: Callable[[bytes], ComicInfo | None]
    ) -> ComicInfo | None:
        """An attached ComicInfo.xml, else the document information, else None."""
        with _LOCK:
            try:
                attached = attached_comicinfo(self._document, max_bytes, parse)
                if attached is not None:
                    return attached
                return info_comicinfo(self._document.get_metadata_dict(skip_empty=True))
            except (pdfium.PdfiumError, ValueError, UnicodeDecodeError):
                # Metadata that cannot be had leaves the pages usable.
                return None

    def close(self) -> None:
        with _LOCK:
            self._document.close()

    # --- helpers ------------------------------------------------------------------------------

    def _index(self, name: str) -> int:
        match = _NAME.match(name)
        index = int(match.group(1)) - 1 if match else -1
        if not 0 <= index < self._count or name != page_name(index):
            raise KeyError(name)
        return index

    def _page(self, index: int) -> _OpenPage:
        try:
            return _OpenPage(self._document[index])
        except pdfium.PdfiumError as exc:
            raise ArchiveUnreadable(PDF_UNREADABLE) from exc

    def _size(self, index: int) -> Size:
        with _LOCK:
            try:
                if not self._probe:
                    width, height = self._document.get_page_size(index)
                    return _rendered_size(width, height, _scale(width, height, None))
                with self._page(index) as page:
                    embedded = self._embedded(page)
                    return embedded[1] if embedded else _page_size(page)
            except pdfium.PdfiumError as exc:
                raise ArchiveUnreadable(PDF_UNREADABLE) from exc

    def _embedded(self, page: pdfium.PdfPage) -> tuple[pdfium.PdfImage, Size] | None:
        """The page's only object when it is a plain JPEG covering the page upright."""
        if not self._probe or page.get_rotation() != 0:
            return None
        # Counted first: a drawn page holds thousands of objects, not worth wrapping each.
        if pdfium_c.FPDFPage_CountObjects(page.raw) != 1:
            return None
        objects = list(page.get_objects(max_depth=1))
        if len(objects) != 1 or not isinstance(objects[0], pdfium.PdfImage):
            return None
        image = objects[0]
        if image.get_filters() != ["DCTDecode"]:
            return None
        matrix = image.get_matrix()
        if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
            return None
        if image.get_metadata().colorspace not in _PLAIN_COLOURS:
            return None
        width, height = image.get_px_size()
        if not 0 < max(width, height) <= MAX_EMBEDDED_EDGE or min(width, height) <= 0:
            return None
        return (image, (width, height)) if _covers(page, image) else None


class _OpenPage:
    """A page closed on leaving the block, inside the lock (never by a finaliser elsewhere)."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.page = page

    def __enter__(self) -> pdfium.PdfPage:
        return self.page

    def __exit__(self, *_: object) -> None:
        self.page.close()


def _page_size(page: pdfium.PdfPage) -> Size:
    width, height = page.get_size()
    return _rendered_size(width, height, _scale(width, height, None))


def _covers(page: pdfium.PdfPage, image: pdfium.PdfImage) -> bool:
    left, bottom, right, top = page.get_bbox()
    i_left, i_bottom, i_right, i_top = image.get_bounds()
    slack_x = (right - left) * _COVER_SLACK
    slack_y = (top - bottom) * _COVER_SLACK
    return bool(
        i_left <= left + slack_x
        and i_bottom <= bottom + slack_y
        and i_right >= right - slack_x
        and i_top >= top - slack_y
    )


def _check_renderable(page: pdfium.PdfPage) -> None:
    """Refuse a page whose rendering would take unbounded memory or time."""
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count > MAX_PAGE_OBJECTS:
        raise ArchiveUnreadable("the PDF page is too complex to render")
    width, height = ctypes.c_uint(), ctypes.c_uint()
    for index in range(count):
        item = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(item) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        if not pdfium_c.FPDFImageObj_GetImagePixelSize(
            item, ctypes.byref(width), ctypes.byref(height)
        ):
            continue
        if width.value * height.value > MAX_IMAGE_PIXELS:
            raise ArchiveUnreadable("the PDF page holds an image too large to render safely")


def _render(page: pdfium.PdfPage, long_edge: int | None) -> bytes:
    _check_renderable(page)
    width, height = page.get_size()
    bitmap = page.render(scale=_scale(width, height, long_edge), fill_color=(255, 255, 255, 255))
    try:
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY)
        return out.getvalue()
    finally:
        bitmap.close()
