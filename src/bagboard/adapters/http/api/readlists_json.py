"""The wire format of reading lists and story arcs (a bagboard extension of ``/api/v1``).

A list or an arc is one shape, ``ComicListJson``, told apart by ``kind`` (``"list"`` or
``"arc"``) with an integer ``id`` of that kind: ``/readlists/<id>`` or ``/arcs/<id>``. Its cover
is a comic's: ``cover_issue_id`` names the issue whose ``/issue/<id>/cover`` stands for it.
Its comics are the usual issue items of the metadata-mode issue lists (``browse_json``), so a
client reads them with the code it already has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import msgspec

from bagboard.adapters.http.api.browse_json import ListBody, envelope, issues_body, stamp
from bagboard.domain.browse import ComicRow
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.model import BrowseMode
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.domain.readlist_matching import MatchStatus
from bagboard.domain.readlists import ListBook
from bagboard.services.listings import IssueItem, Listing
from bagboard.services.reading_lists import ImportedBook, ImportReport, ReadingListView
from bagboard.services.reading_orders import ComicList, ListKind

__all__ = [
    "ComicListJson",
    "ImportReportJson",
    "ImportedBookJson",
    "ListEntryJson",
    "ListIssueJson",
    "ReadingListPageJson",
    "comic_list_json",
    "comic_lists_body",
    "import_report_body",
    "issue_list_body",
    "list_page_body",
    "page_of",
]

T = TypeVar("T")


class ComicListJson(msgspec.Struct, frozen=True):
    id: int
    kind: ListKind
    name: str
    summary: str
    # Every user sees it: a shared reading list, or an arc.
    shared: bool
    # The caller may replace or remove it: their own lists, shared ones for an owner.
    editable: bool
    # Every entry of a list (resolved or not), the visible comics of an arc.
    entries: int
    # The distinct comics the caller may see in it.
    comics: int
    cover_issue_id: int | None
    # None for an arc (the index keeps arcs, nobody edits them).
    updated_at: str | None


class ListIssueJson(msgspec.Struct, frozen=True):
    """An entry's comic: the item of the metadata-mode issue lists."""

    id: int
    name: str
    path: str
    size: int
    has_comicinfo: bool
    has_progress: bool
    last_page: int | None
    is_read: bool
    page_count: int | None
    title: str
    series: str
    number: str
    year: str
    publisher: str


class ListEntryJson(msgspec.Struct, frozen=True):
    """One place of a list: the book as the list names it, and the comic it matched (None:
    unresolved, or in a library the caller may not see)."""

    position: int
    series: str
    number: str
    volume: str | None
    year: int | None
    issue: ListIssueJson | None


class ReadingListPageJson(msgspec.Struct, frozen=True):
    """A list's header and one page of its entries, in position order."""

    # ``list`` on the wire (a field named so would hide the builtin from the annotations).
    header: ComicListJson = msgspec.field(name="list")
    items: Sequence[ListEntryJson]
    total: int
    page: int
    page_size: int
    total_pages: int
    has_more: bool


class ImportedBookJson(msgspec.Struct, frozen=True):
    position: int
    series: str
    number: str
    volume: str | None
    year: int | None
    status: MatchStatus
    # What the entry links to: the match, or the first candidate of an ambiguous book.
    issue_id: int | None
    # Every comic the book could be (several: ambiguous).
    candidates: list[int]


class ImportReportJson(msgspec.Struct, frozen=True):
    # ``list`` on the wire, as above.
    header: ComicListJson = msgspec.field(name="list")
    matched: Sequence[ImportedBookJson]
    ambiguous: Sequence[ImportedBookJson]
    missing: Sequence[ImportedBookJson]


def comic_list_json(view: ComicList) -> ComicListJson:
    return ComicListJson(
        id=view.id,
        kind=view.kind,
        name=view.name,
        summary=view.summary,
        shared=view.shared,
        editable=view.editable,
        entries=view.entries,
        comics=view.comics,
        cover_issue_id=view.cover_comic_id,
        updated_at=None if view.updated_at is None else stamp(view.updated_at),
    )


def page_of(items: Sequence[T], request: PageRequest) -> Page[T]:
    """One page of a list the service hands out whole."""
    return Page(list(items[request.offset : request.offset + request.limit]), len(items), request)


def comic_lists_body(page: Page[ComicList]) -> ListBody[ComicListJson]:
    return envelope(page, [comic_list_json(view) for view in page.items])


def issue_list_body(page: Page[IssueItem]) -> ListBody[Any]:
    """Comics in reading order: the envelope and items of ``/library/issues`` in metadata
    mode, ComicInfo keys included."""
    return issues_body(Listing(BrowseMode.METADATA, page))


def _book_fields(book: ListBook) -> dict[str, Any]:
    return {"series": book.series, "number": book.number, "volume": book.volume, "year": book.year}


def _issue(comic: ComicRow, reading: ComicReading) -> ListIssueJson:
    last_page = reading.last_page
    return ListIssueJson(
        id=comic.id,
        name=comic.name,
        path=comic.path,
        size=comic.size,
        has_comicinfo=comic.has_comicinfo,
        has_progress=last_page is not None,
        last_page=last_page,
        is_read=reading.is_read,
        page_count=comic.page_count or None,
        title=comic.title,
        series=comic.series,
        number=comic.number,
        year=comic.year,
        publisher=comic.publisher,
    )


def list_page_body(
    header: ComicList, view: ReadingListView, readings: Mapping[int, ComicReading]
) -> ReadingListPageJson:
    comics: Mapping[int, IndexedComic] = view.comics
    items = []
    for entry in view.entries.items:
        comic = None if entry.comic_id is None else comics.get(entry.comic_id)
        issue = None if comic is None else _issue(comic.as_row(), readings.get(comic.id, NOT_READ))
        items.append(
            ListEntryJson(position=entry.position, issue=issue, **_book_fields(entry.book))
        )
    page = view.entries
    return ReadingListPageJson(
        header=comic_list_json(header),
        items=items,
        total=page.total,
        page=page.page,
        page_size=page.page_size,
        total_pages=page.total_pages,
        has_more=page.has_more,
    )


def _imported(book: ImportedBook) -> ImportedBookJson:
    return ImportedBookJson(
        position=book.position,
        status=book.status,
        issue_id=book.comic_id,
        candidates=list(book.candidates),
        **_book_fields(book.book),
    )


def import_report_body(header: ComicList, report: ImportReport) -> ImportReportJson:
    return ImportReportJson(
        header=comic_list_json(header),
        matched=[_imported(book) for book in report.matched],
        ambiguous=[_imported(book) for book in report.ambiguous],
        missing=[_imported(book) for book in report.missing],
    )
