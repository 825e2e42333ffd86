"""Komga's series and book shapes: every key present, every ``*Lock`` false, lists ``[]``."""

from __future__ import annotations

import msgspec

from bagboard.adapters.http.komga.wire import AuthorDto

__all__ = [
    "BookDto",
    "BookMetadataDto",
    "BooksMetadataDto",
    "MediaDto",
    "PageDto",
    "ReadProgressDto",
    "SeriesDto",
    "SeriesMetadataDto",
    "WebLinkDto",
]


class _Wire(msgspec.Struct, rename="camel", kw_only=True):
    pass


class WebLinkDto(_Wire):
    label: str
    url: str


class SeriesMetadataDto(_Wire):
    status: str
    title: str
    title_sort: str
    summary: str
    reading_direction: str
    publisher: str
    age_rating: int | None
    language: str
    total_book_count: int | None
    created: str
    last_modified: str
    genres: list[str] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    sharing_labels: list[str] = msgspec.field(default_factory=list)
    links: list[WebLinkDto] = msgspec.field(default_factory=list)
    alternate_titles: list[WebLinkDto] = msgspec.field(default_factory=list)
    status_lock: bool = False
    title_lock: bool = False
    title_sort_lock: bool = False
    summary_lock: bool = False
    reading_direction_lock: bool = False
    publisher_lock: bool = False
    age_rating_lock: bool = False
    language_lock: bool = False
    genres_lock: bool = False
    tags_lock: bool = False
    total_book_count_lock: bool = False
    sharing_labels_lock: bool = False
    links_lock: bool = False
    alternate_titles_lock: bool = False


class BooksMetadataDto(_Wire):
    authors: list[AuthorDto]
    tags: list[str]
    release_date: str | None
    summary: str
    summary_number: str
    created: str
    last_modified: str


class SeriesDto(_Wire):
    id: str
    library_id: str
    name: str
    created: str
    last_modified: str
    file_last_modified: str
    books_count: int
    books_read_count: int
    books_unread_count: int
    books_in_progress_count: int
    metadata: SeriesMetadataDto
    books_metadata: BooksMetadataDto
    url: str = ""
    deleted: bool = False
    oneshot: bool = False


class MediaDto(_Wire):
    status: str
    media_type: str
    media_profile: str
    pages_count: int
    comment: str = ""
    epub_divina_compatible: bool = False
    epub_is_kepub: bool = False


class BookMetadataDto(_Wire):
    title: str
    summary: str
    number: str
    number_sort: float
    release_date: str | None
    authors: list[AuthorDto]
    tags: list[str]
    isbn: str
    created: str
    last_modified: str
    links: list[WebLinkDto] = msgspec.field(default_factory=list)
    title_lock: bool = False
    summary_lock: bool = False
    number_lock: bool = False
    number_sort_lock: bool = False
    release_date_lock: bool = False
    authors_lock: bool = False
    tags_lock: bool = False
    isbn_lock: bool = False
    links_lock: bool = False


class ReadProgressDto(_Wire):
    page: int
    completed: bool
    read_date: str
    created: str
    last_modified: str
    device_id: str
    device_name: str


class BookDto(_Wire):
    id: str
    series_id: str
    series_title: str
    library_id: str
    name: str
    url: str
    number: int
    created: str
    last_modified: str
    file_last_modified: str
    size_bytes: int
    size: str
    media: MediaDto
    metadata: BookMetadataDto
    read_progress: ReadProgressDto | None
    file_hash: str = ""
    deleted: bool = False
    oneshot: bool = False


class PageDto(_Wire):
    number: int
    file_name: str
    media_type: str
    width: int | None
    height: int | None
    size_bytes: int | None
    size: str
