"""Book lists across series (``books/list``, ``books``, ``ondeck``, ``latest``), a book's file
and its page thumbnails.

A list reads every series of the libraries it may show in a few queries
(``SeriesCatalog.all_series``), then filters, orders and pages in memory; a condition that
pins the series (Aidoku's chapter list, Komelia's series screen) reads those series only, and
one that keeps read or started books only (Komelia's "keep reading" and "read" shelves), like
"on deck", reads the series the user has touched only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from bagboard.adapters.http.api.issue_json import comic_media_type
from bagboard.adapters.http.files.download import download
from bagboard.adapters.http.komga.book_filters import (
    Predicate,
    condition,
    mentioned,
    narrowed,
    parameters,
    searched,
)
from bagboard.adapters.http.komga.book_json import book_dto
from bagboard.adapters.http.komga.book_order import Entry, on_deck, ordered
from bagboard.adapters.http.komga.paging import (
    Paging,
    SortKey,
    first_value,
    spring_page,
    values,
)
from bagboard.adapters.http.komga.readlist_views import ReadLists, list_books
from bagboard.adapters.http.komga.series_routes import query_of
from bagboard.adapters.http.komga.wire import SpringPage
from bagboard.adapters.http.komga.wire_books import BookDto
from bagboard.domain.browse import ComicRow
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_views import SeriesView

__all__ = ["BOOK_LIST_HANDLERS", "search_body"]


async def search_body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """A search body (``{condition, fullTextSearch}``) as a dict; empty is ``{}``."""
    raw = await request.body()
    try:
        body = msgspec.json.decode(raw) if raw.strip() else {}
    except msgspec.DecodeError:
        raise InvalidInput("the search body is not JSON") from None
    if not isinstance(body, dict):
        raise InvalidInput("the search body must be an object")
    return body


def _ids(raw: Sequence[str]) -> tuple[int, ...]:
    # A value that is no id matches nothing, rather than everything.
    return tuple(parse_id(value) or -1 for value in raw)


# A list whose books must all be read or in progress draws from the series the user has
# touched (``SeriesCatalog.touched_series``), not from every series of the libraries.
_STARTED = frozenset({"READ", "IN_PROGRESS"})


def _started_only(statuses: set[str] | None) -> bool:
    return bool(statuses) and {s.strip().upper() for s in statuses or ()} <= _STARTED


def _entries(
    komga: SeriesCatalog,
    user: User,
    library_ids: Sequence[str] | None,
    series_ids: Sequence[str] | None,
    *,
    started: bool = False,
) -> list[Entry]:
    views: list[SeriesView]
    if series_ids is None and started:
        views = komga.touched_series(
            user, () if library_ids is None else _ids(library_ids) or (-1,)
        )
    elif series_ids is not None:
        views = []
        for raw in sorted(set(series_ids)):
            try:
                views.append(komga.series(user, raw))
            except NotFound:
                continue
    elif library_ids is not None:
        views = komga.all_series(user, _ids(library_ids) or (-1,))
    else:
        views = komga.all_series(user)
    return [(book, view) for view in views for book in view.books]


def _page(entries: list[Entry], paging: Paging) -> SpringPage[BookDto]:
    shown = paging.slice(entries)
    return spring_page([book_dto(book, series) for book, series in shown], len(entries), paging)


def _listed(
    komga: SeriesCatalog,
    user: User,
    body: dict[str, Any],
    paging: Paging,
    lists: ReadLists,
    issues: IssueService,
) -> SpringPage[BookDto]:
    node = body.get("condition")
    members = {raw: lists.members(raw) for raw in sorted(mentioned(node, "readListId"))}
    keep: Predicate = condition(node, {raw: frozenset(ids) for raw, ids in members.items()})
    libraries, series = narrowed(node, "libraryId"), narrowed(node, "seriesId")
    pinned = narrowed(node, "readListId")
    if pinned is not None and series is None:
        # Only the named read lists' books can match: read their series, not the libraries'.
        entries = list_books(komga, issues, user, _rows(lists, pinned))
    else:
        entries = _entries(
            komga,
            user,
            None if libraries is None else sorted(libraries),
            None if series is None else sorted(series),
            started=_started_only(narrowed(node, "readStatus")),
        )
    search = str(body.get("fullTextSearch") or "").strip().casefold()
    kept = [(book, view) for book, view in entries if keep(book, view) and searched(book, search)]
    positions = None
    if pinned is not None and len(pinned) == 1:
        positions = {comic_id: n for n, comic_id in enumerate(members.get(min(pinned), ()))}
    return _page(ordered(kept, paging.sorts, search, positions), paging)


def _rows(lists: ReadLists, raw_ids: set[str]) -> list[ComicRow]:
    """The Komga books of these read lists, each once, in the lists' orders one after the
    other."""
    found: dict[int, ComicRow] = {}
    for raw in sorted(raw_ids):
        try:
            rows = lists.books(lists.get(raw))
        except NotFound:
            continue
        for row in rows:
            found.setdefault(row.id, row)
    return list(found.values())


@post("/api/v1/books/list", status_code=200)
async def books_search(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> SpringPage[BookDto]:
    body = await search_body(request)
    paging = Paging.parse(query_of(request))
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return await anyio.to_thread.run_sync(
        lambda: _listed(komga, current_user, body, paging, lists, issues)
    )


@get("/api/v1/books", sync_to_thread=True)
def books_list(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
) -> SpringPage[BookDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    libraries = values(query, "library_id")
    started = _started_only(set(values(query, "read_status")))
    entries = _entries(komga, current_user, libraries or None, None, started=started)
    keep = parameters(query)
    search = first_value(query, "search") or ""
    return _page(ordered([e for e in entries if keep(*e)], paging.sorts, search), paging)


@get("/api/v1/books/ondeck", sync_to_thread=True)
def books_on_deck(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
) -> SpringPage[BookDto]:
    query = query_of(request)
    libraries = _ids(values(query, "library_id"))
    # "On deck" needs a read book in the series: the series the user touched hold them all.
    series = komga.touched_series(current_user, libraries)
    return _page(on_deck(series), Paging.parse(query))


@get("/api/v1/books/latest", sync_to_thread=True)
def books_latest(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
) -> SpringPage[BookDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    entries = _entries(komga, current_user, values(query, "library_id") or None, None)
    return _page(ordered(entries, (SortKey("lastModified", descending=True),)), paging)


@get("/api/v1/books/{book_id:str}/file")
async def book_file(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> Response[bytes] | Stream:
    source = issues.file(current_user, book_id)
    return await download(
        request.headers, request.method, source, media_type=comic_media_type(source.comic)
    )


BOOK_LIST_HANDLERS = [
    books_search,
    books_list,
    books_on_deck,
    books_latest,
    book_file,
]
