"""``/api/v1/readlists``: reading lists and story arcs as Komga read lists
(``readlist_views.py``), their books in list order, and the lists holding a book.

The books of a read list are Komga books as every other list shows them (``book_json``),
filtered by the parameters of ``GET /api/v1/books`` (``book_filters.parameters``) and
``library_id``, always in list order. Unknown, hidden and non-numeric ids are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, Response, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from bagboard.adapters.http.komga.book_filters import parameters
from bagboard.adapters.http.komga.book_json import book_dto
from bagboard.adapters.http.komga.paging import Paging, SortKey, first_value, spring_page, values
from bagboard.adapters.http.komga.readlist_views import (
    ReadLists,
    komga_list_id,
    list_books,
    read_list_dto,
)
from bagboard.adapters.http.komga.series_routes import query_of
from bagboard.adapters.http.komga.wire import ReadListDto, SpringPage
from bagboard.adapters.http.komga.wire_books import BookDto
from bagboard.domain.errors import Forbidden, NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ComicList, ListKind, ReadingOrderService
from bagboard.services.series_catalog import SeriesCatalog

__all__ = ["READLIST_HANDLERS"]

Query = dict[str, list[str]]


def _libraries(query: Query) -> frozenset[int]:
    # A value that is no id matches nothing, rather than everything.
    return frozenset(parse_id(value) or -1 for value in values(query, "library_id"))


def _ordered(lists: ReadLists, found: list[ComicList], sorts: tuple[SortKey, ...]) -> None:
    """By name unless ``sorts`` say otherwise; the Komga id breaks ties (stable sorts, the
    last key first)."""
    keys: dict[str, Callable[[ComicList], Any]] = {
        "name": lambda item: item.name.casefold(),
        "createddate": lambda item: lists.dates(item)[0],
        "created": lambda item: lists.dates(item)[0],
        "lastmodifieddate": lambda item: lists.dates(item)[1],
        "lastmodified": lambda item: lists.dates(item)[1],
    }
    found.sort(key=lambda item: int(komga_list_id(item.kind, item.id)))
    known = [sort for sort in sorts if sort.key.casefold() in keys] or [SortKey("name")]
    for sort in reversed(known):
        found.sort(key=keys[sort.key.casefold()], reverse=sort.descending)


@get("/api/v1/readlists", sync_to_thread=True)
def readlists(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> SpringPage[ReadListDto]:
    """``search`` (a substring of the name), ``library_id`` (lists with books there, showing
    those), ``sort`` by ``name``, ``createdDate``, ``lastModifiedDate``; by name without one."""
    query = query_of(request)
    paging = Paging.parse(query)
    lists = ReadLists(reading_orders, reading_lists, current_user)
    search = (first_value(query, "search") or "").strip().casefold()
    libraries = _libraries(query)
    found = [item for item in lists.all() if search in item.name.casefold()]
    if libraries:
        found = [item for item in found if lists.books(item, libraries)]
    _ordered(lists, found, paging.sorts)
    shown = [read_list_dto(lists.read_list(item, libraries)) for item in paging.slice(found)]
    return spring_page(shown, len(found), paging)


@get("/api/v1/readlists/{list_id:str}", sync_to_thread=True)
def readlist_one(
    current_user: NamedDependency[User],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
) -> ReadListDto:
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return read_list_dto(lists.read_list(lists.get(list_id)))


@delete("/api/v1/readlists/{list_id:str}", status_code=204, sync_to_thread=True)
def readlist_delete(
    current_user: NamedDependency[User],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
) -> None:
    """The user's own reading list, or (an owner) a shared one; story arcs are read-only."""
    found = ReadLists(reading_orders, reading_lists, current_user).get(list_id)
    if found.kind is ListKind.STORY_ARC:
        raise Forbidden("a story arc cannot be deleted")
    reading_lists.remove(current_user, found.id)


@get("/api/v1/readlists/{list_id:str}/books", sync_to_thread=True)
def readlist_books(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
) -> SpringPage[BookDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    lists = ReadLists(reading_orders, reading_lists, current_user)
    shown = lists.read_list(lists.get(list_id), _libraries(query))
    keep = parameters(query)
    entries = [
        entry for entry in list_books(komga, issues, current_user, shown.rows) if keep(*entry)
    ]
    content = [book_dto(book, series) for book, series in paging.slice(entries)]
    return spring_page(content, len(entries), paging)


def _neighbour(
    komga: SeriesCatalog,
    issues: IssueService,
    lists: ReadLists,
    list_id: str,
    book_id: str,
    step: int,
) -> BookDto:
    rows = lists.books(lists.get(list_id))
    at = next((n for n, row in enumerate(rows) if str(row.id) == book_id), None)
    if at is None or not 0 <= at + step < len(rows):
        raise NotFound("no such book")
    found = list_books(komga, issues, lists.user, [rows[at + step]])
    if not found:
        raise NotFound("no such book")
    return book_dto(*found[0])


@get("/api/v1/readlists/{list_id:str}/books/{book_id:str}/previous", sync_to_thread=True)
def readlist_previous(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
    book_id: FromPath[str],
) -> BookDto:
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return _neighbour(komga, issues, lists, list_id, book_id, -1)


@get("/api/v1/readlists/{list_id:str}/books/{book_id:str}/next", sync_to_thread=True)
def readlist_next(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
    book_id: FromPath[str],
) -> BookDto:
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return _neighbour(komga, issues, lists, list_id, book_id, 1)


@get("/api/v1/readlists/{list_id:str}/thumbnail", sync_to_thread=True)
def readlist_thumbnail(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    list_id: FromPath[str],
) -> Response[bytes]:
    """The first book's cover, as a series' thumbnail is; 404 for a list without books."""
    lists = ReadLists(reading_orders, reading_lists, current_user)
    rows = lists.books(lists.get(list_id))
    if not rows:
        raise NotFound("no cover")
    cover = issues.cover(current_user, rows[0].id)
    return Response(content=cover.data, media_type=cover.media_type)


@get("/api/v1/books/{book_id:str}/readlists", sync_to_thread=True)
def book_readlists(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    book_id: FromPath[str],
) -> list[ReadListDto]:
    """The reading lists (by name) then the arcs holding the book; 404 for a hidden book."""
    comic = issues.comic(current_user, book_id)
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return [read_list_dto(lists.read_list(found)) for found in lists.containing(comic.id)]


READLIST_HANDLERS = [
    readlists,
    readlist_one,
    readlist_delete,
    readlist_books,
    readlist_previous,
    readlist_next,
    readlist_thumbnail,
    book_readlists,
]
