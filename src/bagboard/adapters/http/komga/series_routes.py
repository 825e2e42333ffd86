"""``/api/v1/series``: lists with Komga's filters and sorts, one series, its books, its cover."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from bagboard.adapters.http.komga.book_filters import parameters
from bagboard.adapters.http.komga.book_json import book_dto
from bagboard.adapters.http.komga.book_order import ordered
from bagboard.adapters.http.komga.paging import Paging, flag, spring_page, values
from bagboard.adapters.http.komga.readlist_views import ReadLists, list_series
from bagboard.adapters.http.komga.series_json import series_dto
from bagboard.adapters.http.komga.series_order import CATALOG_SORTS, reordered, route_sort
from bagboard.adapters.http.komga.wire import SpringPage
from bagboard.adapters.http.komga.wire_books import BookDto, SeriesDto
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.series_catalog import BookOrder, SeriesCatalog, SeriesQuery

__all__ = ["SERIES_HANDLERS", "query_of"]

Query = dict[str, list[str]]


def query_of(request: Request[Any, Any, Any]) -> Query:
    params = request.query_params
    return {key: params.getall(key) for key in params}


def _ids(raw: tuple[str, ...]) -> tuple[int, ...]:
    # A value that is no id matches nothing, rather than everything.
    return tuple(parse_id(value) or -1 for value in raw)


def _series_query(query: Query, paging: Paging, **more: Any) -> SeriesQuery:
    sort = next(
        (CATALOG_SORTS[s.key.lower()] for s in paging.sorts if s.key.lower() in CATALOG_SORTS), ""
    )
    descending = next((s.descending for s in paging.sorts if s.key.lower() in CATALOG_SORTS), False)
    fields: dict[str, Any] = {
        "library_ids": _ids(values(query, "library_id")),
        "search": " ".join(values(query, "search")),
        "publishers": values(query, "publisher"),
        "read_status": tuple(v.upper() for v in values(query, "read_status")),
        "genres": values(query, "genre"),
        "tags": values(query, "tag"),
        "languages": values(query, "language"),
        "sort": sort,
        "descending": descending,
    }
    return SeriesQuery(**(fields | more))


def _page(
    komga: SeriesCatalog, user: User, q: SeriesQuery, paging: Paging
) -> SpringPage[SeriesDto]:
    offset, limit = paging.window(1 << 62)
    views, total = komga.series_list(user, q, offset, limit)
    return spring_page([series_dto(view) for view in views], total, paging)


def _sorted_page(
    komga: SeriesCatalog, user: User, q: SeriesQuery, paging: Paging
) -> SpringPage[SeriesDto]:
    """A list whose sort may be one the catalogue does not apply (``series_order``)."""
    sort = route_sort(paging.sorts, q.search)
    if sort is None:
        return _page(komga, user, q, paging)
    views, total = komga.series_list(user, q, 0, 1 << 62)
    shown = paging.slice(reordered(views, sort, q.search))
    return spring_page([series_dto(view) for view in shown], total, paging)


@get("/api/v1/series", sync_to_thread=False)
def series_list(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
) -> SpringPage[SeriesDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    return _sorted_page(komga, current_user, _series_query(query, paging), paging)


@get(["/api/v1/series/new", "/api/v1/series/updated"], sync_to_thread=False)
def series_recent(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
) -> SpringPage[SeriesDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    sort = "created" if request.url.path.rstrip("/").endswith("/new") else "lastModified"
    q = _series_query(query, paging, sort=sort, descending=True)
    return _page(komga, current_user, q, paging)


def _leaves(node: Any, found: dict[str, list[str]]) -> None:
    """Collects ``is`` values of the leaves it understands, by key (``type`` is ignored).
    Other leaves and operators match everything."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in ("allOf", "anyOf") and isinstance(value, list):
            for child in value:
                _leaves(child, found)
        elif isinstance(value, dict) and value.get("operator") == "is" and "value" in value:
            found.setdefault(key, []).append(str(value["value"]))


def _in_lists(series_ids: tuple[int, ...], listed: set[int]) -> tuple[int, ...]:
    """The series a ``seriesId`` leaf names, kept if a named read list holds a book of them;
    without one, every series a named read list holds (nothing matches nothing)."""
    if series_ids:
        return tuple(found for found in series_ids if found in listed) or (-1,)
    return tuple(sorted(listed)) or (-1,)


@post("/api/v1/series/list", status_code=200)
async def series_search(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> SpringPage[SeriesDto]:
    raw = await request.body()
    try:
        body = msgspec.json.decode(raw) if raw.strip() else {}
    except msgspec.DecodeError:
        raise InvalidInput("the search body is not JSON") from None
    if not isinstance(body, dict):
        raise InvalidInput("the search body must be an object")
    leaves: dict[str, list[str]] = {}
    _leaves(body.get("condition"), leaves)
    query = query_of(request)
    paging = Paging.parse(query)
    series_ids = _ids(tuple(leaves.get("seriesId", ())))
    if leaves.get("readListId"):
        lists = ReadLists(reading_orders, reading_lists, current_user)
        named = set(leaves["readListId"])
        listed = await anyio.to_thread.run_sync(lambda: list_series(komga, issues, lists, named))
        series_ids = _in_lists(series_ids, listed)
    q = _series_query(
        query,
        paging,
        library_ids=_ids(tuple(leaves.get("libraryId", ()))),
        series_ids=series_ids,
        publishers=tuple(leaves.get("publisher", ())),
        read_status=tuple(v.upper() for v in leaves.get("readStatus", ())),
        genres=tuple(leaves.get("genre", ())),
        tags=tuple(leaves.get("tag", ())),
        languages=tuple(leaves.get("language", ())),
        search=str(body.get("fullTextSearch") or ""),
    )
    return _sorted_page(komga, current_user, q, paging)


@get("/api/v1/series/{series_id:str}", sync_to_thread=False)
def series_one(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_id: FromPath[str],
) -> SeriesDto:
    return series_dto(komga.series(current_user, series_id))


# The book filters of ``book_filters.parameters``: with none of them and no sort but
# ``numberSort``, a page of a series' books is read alone (``SeriesCatalog.book_page``).
_BOOK_FILTERS = ("search", "media_status", "read_status", "tag", "released_after", "author")


def _plain_order(query: Query, paging: Paging) -> BookOrder | None:
    if values(query, *_BOOK_FILTERS) or flag(query, "deleted"):
        return None
    if not paging.sorts:
        return BookOrder.ISSUE
    if len(paging.sorts) == 1 and paging.sorts[0].key.lower() == "metadata.numbersort":
        return BookOrder.NUMBER_SORT_DESC if paging.sorts[0].descending else BookOrder.NUMBER_SORT
    return None


@get("/api/v1/series/{series_id:str}/books", sync_to_thread=False)
def series_books(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_id: FromPath[str],
) -> SpringPage[BookDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    order = _plain_order(query, paging)
    if order is not None:
        offset, limit = paging.window(1 << 62)
        page = komga.book_page(current_user, series_id, offset, limit, order)
        return spring_page([book_dto(b, page.series) for b in page.books], page.total, paging)
    series = komga.series(current_user, series_id)
    keep = parameters(query)
    books = ordered([(b, series) for b in series.books if keep(b, series)], paging.sorts)
    shown = paging.slice(books)
    return spring_page([book_dto(book, series) for book, _ in shown], len(books), paging)


@get("/api/v1/series/{series_id:str}/collections", sync_to_thread=False)
def series_collections(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_id: FromPath[str],
) -> list[Any]:
    komga.series(current_user, series_id)
    return []


@get("/api/v1/series/{series_id:str}/thumbnail", sync_to_thread=True)
def series_thumbnail(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    series_id: FromPath[str],
) -> Response[bytes]:
    series = komga.series(current_user, series_id)
    if not series.books:
        raise NotFound("no cover")
    cover = issues.cover(current_user, series.books[0].comic.id)
    return Response(content=cover.data, media_type=cover.media_type)


SERIES_HANDLERS = [
    series_list,
    series_recent,
    series_search,
    series_one,
    series_books,
    series_collections,
    series_thumbnail,
]
