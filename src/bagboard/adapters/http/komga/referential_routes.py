"""Komga's referential lists (genres, tags, publishers, languages, release years, authors) and
its collections, which bagboard does not have (empty, correctly shaped).

The lists come from the ComicInfo of the books the user may see, narrowed by ``library_id``,
``series_id`` and ``readlist_id`` (the books of those read lists) (OR within one, AND
across); sorted case-insensitively, distinct. A ``collection_id`` names nothing bagboard
has, so it leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import anyio.to_thread
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from bagboard.adapters.http.komga.paging import Paging, spring_page, values
from bagboard.adapters.http.komga.readlist_views import ReadLists
from bagboard.adapters.http.komga.series_json import authors_of, release_date
from bagboard.adapters.http.komga.series_routes import query_of
from bagboard.adapters.http.komga.wire import AuthorDto, CollectionDto, SpringPage
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.errors import NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import User
from bagboard.services.komga_books import listed
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_views import SeriesView

__all__ = ["REFERENTIAL_HANDLERS"]

Query = dict[str, list[str]]


def _scope(komga: SeriesCatalog, lists: ReadLists, query: Query) -> list[SeriesView]:
    if values(query, "collection_id"):
        return []
    libraries = tuple(parse_id(v) or -1 for v in values(query, "library_id"))
    views = komga.all_series(lists.user, libraries)
    series = set(values(query, "series_id"))
    if series:
        views = [view for view in views if str(view.id) in series]
    named = values(query, "readlist_id")
    if not named:
        return views
    members = {comic_id for raw in named for comic_id in lists.members(raw)}
    narrowed = (
        replace(view, comics=tuple(c for c in view.comics if c.id in members)) for view in views
    )
    return [view for view in narrowed if view.comics]


def _infos(views: Iterable[SeriesView]) -> Iterable[ComicInfo]:
    return (
        book.comic.comic_info
        for view in views
        for book in view.books
        if book.comic.comic_info is not None
    )


def _sorted(found: Iterable[str]) -> list[str]:
    """Distinct regardless of case (one spelling kept: the first in code-point order)."""
    spellings: dict[str, str] = {}
    for value in found:
        text = value.strip()
        if text:
            key = text.casefold()
            spellings[key] = min(spellings.get(key, text), text)
    return [spellings[key] for key in sorted(spellings)]


def _field_list(field: Callable[[ComicInfo], str]) -> Callable[[list[SeriesView]], list[str]]:
    def read(views: list[SeriesView]) -> list[str]:
        return _sorted(value for info in _infos(views) for value in listed(field(info)))

    return read


_LISTS: dict[str, Callable[[list[SeriesView]], list[str]]] = {
    "/api/v1/genres": _field_list(lambda info: info.genre),
    "/api/v1/tags": _field_list(lambda info: info.tags),
    "/api/v1/tags/series": _field_list(lambda info: info.tags),
    "/api/v1/tags/book": _field_list(lambda info: info.tags),
    "/api/v1/languages": _field_list(lambda info: info.language_iso),
    "/api/v1/publishers": lambda views: _sorted(view.publisher for view in views),
    "/api/v1/series/release-dates": lambda views: sorted(
        {
            str(min(years))
            for view in views
            if (years := [d.year for b in view.books if (d := release_date(b.comic.comic_info))])
        },
        reverse=True,
    ),
}


@get(list(_LISTS))
async def referential(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> list[str]:
    # Async with an explicit worker thread: Litestar's sync_to_thread does not survive a
    # handler registered at several paths (it hands back an unawaited coroutine).
    path = request.url.path.rstrip("/")
    route = next(key for key in sorted(_LISTS, key=len, reverse=True) if path.endswith(key))
    query = query_of(request)
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return await anyio.to_thread.run_sync(lambda: _LISTS[route](_scope(komga, lists, query)))


@get(["/api/v1/age-ratings", "/api/v1/sharing-labels"], sync_to_thread=False)
def nothing_listed(current_user: NamedDependency[User]) -> list[str]:
    return []


def _authors(komga: SeriesCatalog, lists: ReadLists, query: Query) -> list[AuthorDto]:
    search = " ".join(values(query, "search")).casefold()
    roles = {role.lower() for role in values(query, "role")}
    found = {
        (author.name, author.role): author
        for info in _infos(_scope(komga, lists, query))
        for author in authors_of(info)
        if (not search or search in author.name.casefold()) and (not roles or author.role in roles)
    }
    return [found[key] for key in sorted(found, key=lambda k: (k[0].casefold(), k[0], k[1]))]


@get("/api/v1/authors", sync_to_thread=True)
def authors_v1(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> list[AuthorDto]:
    lists = ReadLists(reading_orders, reading_lists, current_user)
    return _authors(komga, lists, query_of(request))


@get("/api/v2/authors", sync_to_thread=True)
def authors_v2(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
) -> SpringPage[AuthorDto]:
    query = query_of(request)
    paging = Paging.parse(query)
    lists = ReadLists(reading_orders, reading_lists, current_user)
    found = _authors(komga, lists, query)
    return spring_page(paging.slice(found), len(found), paging)


@get("/api/v1/collections", sync_to_thread=False)
def collections(
    request: Request[Any, Any, Any], current_user: NamedDependency[User]
) -> SpringPage[CollectionDto]:
    return spring_page([], 0, Paging.parse(query_of(request)))


@get("/api/v1/collections/{collection_id:str}", sync_to_thread=False)
def no_collection(current_user: NamedDependency[User], collection_id: FromPath[str]) -> None:
    raise NotFound("no such collection")


REFERENTIAL_HANDLERS = [
    referential,
    nothing_listed,
    authors_v1,
    authors_v2,
    collections,
    no_collection,
]
