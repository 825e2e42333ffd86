"""Komga's JSON shapes that are not about a series or a book (those are ``wire_books.py``).

Every key a Komga client decodes is present, nullable ones as ``null``: komga-client (Komelia)
fails on a missing key even when its value may be null. Field names are snake case here and
camel case on the wire. Instants are strings already formatted by ``instant``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Generic, TypeVar

import msgspec

__all__ = [
    "AuthorDto",
    "CollectionDto",
    "LibraryDto",
    "PageableDto",
    "ReadListDto",
    "SortDto",
    "SpringError",
    "SpringPage",
    "TachiyomiV1",
    "TachiyomiV2",
    "UserDto",
    "day",
    "instant",
]

T = TypeVar("T")


def instant(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC: the only form every client parses (Aidoku)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: date | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d")


class _Wire(msgspec.Struct, rename="camel", kw_only=True):
    pass


class SortDto(_Wire):
    sorted: bool
    unsorted: bool
    empty: bool


class PageableDto(_Wire):
    page_number: int
    page_size: int
    offset: int
    sort: SortDto
    paged: bool = True
    unpaged: bool = False


class SpringPage(_Wire, Generic[T]):
    """Spring Data's ``Page``: all eleven keys."""

    content: list[T]
    pageable: PageableDto
    total_elements: int
    total_pages: int
    size: int
    number: int
    number_of_elements: int
    first: bool
    last: bool
    empty: bool
    sort: SortDto


class UserDto(_Wire):
    id: str
    email: str
    roles: list[str]
    shared_all_libraries: bool
    shared_libraries_ids: list[str]
    labels_allow: list[str] = msgspec.field(default_factory=list)
    labels_exclude: list[str] = msgspec.field(default_factory=list)
    age_restriction: None = None


class LibraryDto(_Wire):
    id: str
    name: str
    root: str = ""
    import_comic_info_book: bool = True
    import_comic_info_series: bool = True
    import_comic_info_collection: bool = False
    import_comic_info_read_list: bool = False
    import_comic_info_series_append_volume: bool = False
    import_epub_book: bool = False
    import_epub_series: bool = False
    import_mylar_series: bool = False
    import_local_artwork: bool = False
    import_barcode_isbn: bool = False
    scan_force_modified_time: bool = False
    scan_interval: str = "DISABLED"
    scan_on_startup: bool = False
    scan_cbx: bool = True
    scan_pdf: bool = True
    scan_epub: bool = False
    scan_directory_exclusions: list[str] = msgspec.field(default_factory=list)
    repair_extensions: bool = False
    convert_to_cbz: bool = False
    empty_trash_after_scan: bool = False
    series_cover: str = "FIRST"
    hash_files: bool = False
    hash_pages: bool = False
    hash_koreader: bool = True
    analyze_dimensions: bool = True
    oneshots_directory: str | None = None
    unavailable: bool = False


class AuthorDto(_Wire):
    name: str
    role: str


class ReadListDto(_Wire):
    id: str
    name: str
    summary: str
    ordered: bool
    book_ids: list[str]
    created_date: str
    last_modified_date: str
    filtered: bool


class CollectionDto(_Wire):
    id: str
    name: str
    ordered: bool
    series_ids: list[str]
    created_date: str
    last_modified_date: str
    filtered: bool


class TachiyomiV1(_Wire):
    books_count: int
    books_read_count: int
    books_unread_count: int
    books_in_progress_count: int
    last_read_continuous_index: int


class TachiyomiV2(_Wire):
    books_count: int
    books_read_count: int
    books_unread_count: int
    books_in_progress_count: int
    last_read_continuous_number_sort: float
    max_number_sort: float


class SpringError(msgspec.Struct):
    """Spring Boot's error body; Aidoku reads ``error`` and ``message``."""

    timestamp: str
    status: int
    error: str
    message: str
    path: str
