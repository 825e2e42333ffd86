"""Books as Komga DTOs (``wire_books.py``), from ``SeriesCatalog``'s views."""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import Any

import msgspec

from bagboard.adapters.http.komga.kept import Kept
from bagboard.adapters.http.komga.series_json import (
    authors_of,
    comic_mtime,
    human_size,
    listed,
    release_date,
)
from bagboard.adapters.http.komga.wire import instant
from bagboard.adapters.http.komga.wire_books import (
    BookDto,
    BookMetadataDto,
    MediaDto,
    ReadProgressDto,
)
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.series_progress import komga_page
from bagboard.services.series_views import BookView, SeriesRef, SeriesView

__all__ = ["book_dto"]

_MEDIA_TYPES = {
    ArchiveFormat.ZIP: "application/zip",
    ArchiveFormat.RAR: "application/x-rar-compressed",
    ArchiveFormat.SEVEN_ZIP: "application/x-7z-compressed",
    ArchiveFormat.TAR: "application/x-tar",
    ArchiveFormat.PDF: "application/pdf",
}
# Komga's profile of a book: how a client may read it. Its pages are images either way (a PDF's
# are rendered), so a client that only shows page images reads both.
_PDF_PROFILE = "PDF"
_IMAGE_PROFILE = "DIVINA"


def _mtime(book: BookView) -> datetime:
    return comic_mtime(book.comic)


def book_dto(book: BookView, series: SeriesView | SeriesRef) -> BookDto:
    made_of = (book.comic, book.number, book.number_sort, series.id, series.name)
    base = _KEPT_BOOKS.get(book.comic.id, made_of, lambda: _book_dto(book, series))
    comic = book.comic
    position = book.reading.position
    if position is None and not book.reading.is_read:
        return base
    stamp = instant(position.updated_at) if position is not None else base.last_modified
    device = position.device if position is not None else None
    progress = ReadProgressDto(
        page=comic.page_count
        if position is None
        else komga_page(position.page_number, comic.page_count),
        completed=book.reading.is_read,
        read_date=stamp,
        created=stamp,
        last_modified=stamp,
        device_id=device.id if device is not None and device.id else "bagboard",
        device_name=device.name if device is not None and device.name else "bagboard",
    )
    return msgspec.structs.replace(base, read_progress=progress)


def _same_book(kept: tuple[Any, ...], asked: tuple[Any, ...]) -> bool:
    return kept[0] is asked[0] and kept[1:] == asked[1:]


# The DTOs of recently shown books, read progress aside, valid while the book is the same
# comic object at the same place in the same series (see ``series_json._KEPT``).
_KEPT_BOOKS: Kept[int, tuple[Any, ...], BookDto] = Kept(5000, _same_book)


def _book_dto(book: BookView, series: SeriesView | SeriesRef) -> BookDto:
    """The DTO without ``readProgress`` (``book_dto`` adds it)."""
    comic, info = book.comic, book.comic.comic_info
    name = posixpath.splitext(comic.name)[0]
    created = instant(comic.added_at)
    modified = instant(max(comic.added_at, _mtime(book)))
    released = release_date(info)
    return BookDto(
        id=str(comic.id),
        series_id=str(series.id),
        series_title=series.name,
        library_id=str(comic.library_id),
        name=name,
        url=comic.name,
        number=book.number,
        created=created,
        last_modified=modified,
        file_last_modified=instant(_mtime(book)),
        size_bytes=comic.size,
        size=human_size(comic.size),
        media=MediaDto(
            status="ERROR" if comic.error else "READY",
            media_type=_MEDIA_TYPES.get(comic.format, "application/zip")
            if comic.format is not None
            else "application/zip",
            media_profile=_PDF_PROFILE if comic.format is ArchiveFormat.PDF else _IMAGE_PROFILE,
            pages_count=comic.page_count,
            comment="",
        ),
        metadata=BookMetadataDto(
            title=(info.title if info is not None and info.title else name),
            summary=info.summary if info is not None else "",
            number=(info.number if info is not None and info.number else str(book.number)),
            number_sort=book.number_sort,
            release_date=None if released is None else released.isoformat(),
            authors=authors_of(info),
            tags=listed(info.tags) if info is not None else [],
            isbn="",
            created=created,
            last_modified=modified,
        ),
        read_progress=None,
    )
