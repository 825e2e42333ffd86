"""The browse endpoints' wire format (contract §3 to §4): domain results in, compat JSON out.

The reference's shapes differ from the domain's on purpose (``value`` beside ``name``, keys that
are absent rather than null, ``year`` as int or ``""``), so each shape is a msgspec Struct here.
A field left ``UNSET`` is left out of the JSON, which is how the optional keys stay absent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final, Generic, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from bagboard.domain.browse import ComicRow, Facet
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import BrowseMode
from bagboard.domain.pagination import Page
from bagboard.services.browse import FolderItem, IssueItem, Listing

__all__ = [
    "ISSUE_METADATA_FIELDS",
    "MISSING_PATH",
    "MISSING_PATH_PARAMETER",
    "OK",
    "RECENT_SCOPE",
    "STAMP_FORMAT",
    "FolderJson",
    "IssueJson",
    "ListBody",
    "OkBody",
    "PublisherFacetJson",
    "RecentJson",
    "SeriesFacetJson",
    "envelope",
    "issues_body",
    "publishers_body",
    "recent_body",
    "required_path",
    "series_body",
    "stamp",
]

MISSING_PATH: Final = "Missing 'path'"
MISSING_PATH_PARAMETER: Final = "Missing 'path' parameter"
RECENT_SCOPE: Final = "recent"
# How every time is written on the wire (compat): UTC, to the second.
STAMP_FORMAT: Final = "%Y-%m-%d %H:%M:%S"

T = TypeVar("T")


class ListBody(msgspec.Struct, Generic[T], frozen=True):
    """The pagination envelope (contract §3); ``T`` only documents the items."""

    items: Sequence[T]
    total: int
    page: int
    page_size: int
    total_pages: int
    has_more: bool
    mode: str | UnsetType = UNSET
    scope: str | UnsetType = UNSET


class FolderJson(msgspec.Struct, frozen=True):
    value: str
    name: str
    path: str
    has_thumbnail: bool
    count: int
    volumes: list[str] | UnsetType = UNSET


class PublisherFacetJson(msgspec.Struct, frozen=True):
    value: str
    name: str
    count: int
    # Always sent: a facet has neither a folder nor its thumbnail.
    has_thumbnail: bool
    path: None


class SeriesFacetJson(msgspec.Struct, frozen=True):
    value: str
    name: str
    publisher: str
    count: int
    year: int | str


class IssueJson(msgspec.Struct, frozen=True):
    id: int
    name: str
    path: str
    size: int
    has_comicinfo: bool
    has_progress: bool
    last_page: int | None
    is_read: bool
    page_count: int | None
    # Metadata mode only, and then always (ISSUE_METADATA_FIELDS).
    title: str | UnsetType = UNSET
    series: str | UnsetType = UNSET
    number: str | UnsetType = UNSET
    year: str | UnsetType = UNSET
    publisher: str | UnsetType = UNSET


# The keys an issue carries in metadata mode only; the documentation gives each mode its schema.
ISSUE_METADATA_FIELDS: Final = ("title", "series", "number", "year", "publisher")


class RecentJson(msgspec.Struct, frozen=True):
    id: int
    value: str
    name: str
    path: str
    size: int
    added_at: str
    has_progress: bool
    last_page: int | None
    # Always "file" (a recent addition is a comic); always sent.
    type: str


class OkBody(msgspec.Struct, frozen=True):
    ok: bool


OK: Final = OkBody(ok=True)


def stamp(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (``STAMP_FORMAT``) in UTC; a naive time is taken to be UTC."""
    if moment.tzinfo is not UTC and moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    # The first 19 characters of the ISO form: twice as fast as strftime, and every item of a
    # list carries a time.
    return moment.isoformat(" ", "seconds")[:19]


def envelope(
    page: Page[Any],
    items: list[Any],
    *,
    mode: str | UnsetType = UNSET,
    scope: str | UnsetType = UNSET,
) -> ListBody[Any]:
    return ListBody(
        items=items,
        total=page.total,
        page=page.page,
        page_size=page.page_size,
        total_pages=page.total_pages,
        has_more=page.has_more,
        mode=mode,
        scope=scope,
    )


def _folder(item: FolderItem) -> FolderJson:
    row = item.folder
    return FolderJson(
        value=row.name,
        name=row.name,
        path=row.path,
        has_thumbnail=row.has_thumbnail,
        count=row.comic_count,
        volumes=UNSET if item.volumes is None else list(item.volumes),
    )


def _publisher(item: FolderItem | Facet) -> FolderJson | PublisherFacetJson:
    if isinstance(item, FolderItem):
        return _folder(item)
    return PublisherFacetJson(
        value=item.name, name=item.name, count=item.count, has_thumbnail=False, path=None
    )


def _series(item: FolderItem | Facet) -> FolderJson | SeriesFacetJson:
    if isinstance(item, FolderItem):
        return _folder(item)
    year: int | str = "" if item.year is None else item.year
    return SeriesFacetJson(
        value=item.name, name=item.name, publisher=item.publisher, count=item.count, year=year
    )


def _issue(item: IssueItem, *, with_metadata: bool) -> IssueJson:
    # Positional, without a dict of extras: a page is fifty of these.
    comic: ComicRow = item.comic
    last_page = item.reading.last_page
    common = (
        comic.id,
        comic.name,
        comic.path,
        comic.size,
        comic.has_comicinfo,
        last_page is not None,
        last_page,
        item.reading.is_read,
        # An archive that could not be read has no known page count.
        comic.page_count or None,
    )
    if not with_metadata:
        return IssueJson(*common)
    return IssueJson(*common, comic.title, comic.series, comic.number, comic.year, comic.publisher)


def _recent(item: IssueItem) -> RecentJson:
    comic = item.comic
    return RecentJson(
        id=comic.id,
        value=comic.name,
        name=comic.name,
        path=comic.path,
        size=comic.size,
        added_at=stamp(comic.added_at),
        has_progress=item.reading.has_progress,
        last_page=item.reading.last_page,
        type="file",
    )


def publishers_body(listing: Listing[FolderItem] | Listing[Facet]) -> ListBody[Any]:
    items = [_publisher(item) for item in listing.page.items]
    return envelope(listing.page, items, mode=listing.mode.value)


def series_body(listing: Listing[FolderItem] | Listing[Facet]) -> ListBody[Any]:
    items = [_series(item) for item in listing.page.items]
    return envelope(listing.page, items, mode=listing.mode.value)


def issues_body(listing: Listing[IssueItem]) -> ListBody[Any]:
    with_metadata = listing.mode is BrowseMode.METADATA
    items = [_issue(item, with_metadata=with_metadata) for item in listing.page.items]
    return envelope(listing.page, items, mode=listing.mode.value)


def recent_body(page: Page[IssueItem]) -> ListBody[Any]:
    return envelope(page, [_recent(item) for item in page.items], scope=RECENT_SCOPE)


# --- requests ---------------------------------------------------------------------------------


def required_path(raw: str | None) -> str:
    """A ``?path=`` query value, used exactly as decoded once."""
    if not raw:
        raise InvalidInput("The 'path' query parameter is required", code=MISSING_PATH_PARAMETER)
    return raw
