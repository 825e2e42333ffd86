"""Read-progress writes and the Mihon tracker's sync (docs/komga-progress.md).

Every route goes through ``SeriesProgressService`` into the one progress store, so what a
Komga client writes is what ``/api/v1/progress`` and OPDS read, and the other way round.
Pages are 1-based, as the store keeps them. A write is attributed to the token that signed
the request in (directly or through its session cookie): ``readProgress.deviceId`` is
``urn:bagboard:token:<id>`` and ``deviceName`` the token's name.

Bodies are read by hand, leniently as Komga's Jackson reads them: unknown keys are ignored,
a whole number may come as ``3.0``; anything else that is not what the key needs is a 400.
A read list's tracker state counts its Komga books in list order (``readlist_views.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import msgspec
from litestar import Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RawBody

from bagboard.adapters.http.komga.auth import request_token
from bagboard.adapters.http.komga.readlist_views import ReadLists, list_books
from bagboard.adapters.http.komga.wire import TachiyomiV1, TachiyomiV2
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import User
from bagboard.domain.progress import MAX_DEVICE_TEXT, Device
from bagboard.services.issues import IssueService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.series_catalog import SeriesCatalog, SeriesView
from bagboard.services.series_progress import NumberedComic, SeriesProgressService

__all__ = ["PROGRESS_HANDLERS", "token_device"]

DEVICE_PREFIX: Final = "urn:bagboard:token:"


def token_device(request: Request[Any, Any, Any]) -> Device | None:
    """The device a write is stored under: the token that signed the request in."""
    token = request_token(request.scope)
    if token is None:
        return None
    name = token.name.strip()[:MAX_DEVICE_TEXT] or f"token {token.id}"
    return Device(f"{DEVICE_PREFIX}{token.id}", name)


def _object(body: bytes) -> Mapping[str, Any]:
    try:
        data = msgspec.json.decode(body) if body.strip() else None
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise InvalidInput("the body must be JSON") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    return data


def _whole(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise InvalidInput(f"{key} must be a whole number")


def _flag(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise InvalidInput(f"{key} must be true or false")


def _number(data: Mapping[str, Any], key: str) -> float:
    value = data.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise InvalidInput(f"{key} must be a number")


def _numbered(series: SeriesView) -> list[NumberedComic]:
    return [NumberedComic(book.comic, book.number_sort) for book in series.books]


# --- books ---------------------------------------------------------------------------------


@patch("/api/v1/books/{book_id:str}/read-progress", status_code=204, sync_to_thread=True)
def book_progress_patch(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    series_progress: NamedDependency[SeriesProgressService],
    book_id: FromPath[str],
    body: RawBody,
) -> None:
    """``{page?, completed?}``: the page (1-based) or ``completed: true``; 400 for neither."""
    comic = issues.comic(current_user, book_id)
    data = _object(body)
    page, completed = _whole(data, "page"), _flag(data, "completed")
    device = token_device(request)
    series_progress.patch_book(current_user, comic, page, completed, device=device)


@delete("/api/v1/books/{book_id:str}/read-progress", status_code=204, sync_to_thread=True)
def book_progress_delete(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    series_progress: NamedDependency[SeriesProgressService],
    book_id: FromPath[str],
) -> None:
    series_progress.clear_book(current_user, issues.comic(current_user, book_id))


# --- series --------------------------------------------------------------------------------


@post("/api/v1/series/{series_id:str}/read-progress", status_code=204, sync_to_thread=True)
def series_mark_read(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_progress: NamedDependency[SeriesProgressService],
    series_id: FromPath[str],
) -> None:
    series = komga.series(current_user, series_id)
    comics = [book.comic for book in series.books]
    series_progress.mark_all(current_user, comics, True, device=token_device(request))


@delete("/api/v1/series/{series_id:str}/read-progress", status_code=204, sync_to_thread=True)
def series_mark_unread(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_progress: NamedDependency[SeriesProgressService],
    series_id: FromPath[str],
) -> None:
    series = komga.series(current_user, series_id)
    series_progress.mark_all(current_user, [book.comic for book in series.books], False)


@get("/api/v2/series/{series_id:str}/read-progress/tachiyomi", sync_to_thread=False)
def series_tachiyomi(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_progress: NamedDependency[SeriesProgressService],
    series_id: FromPath[str],
) -> TachiyomiV2:
    series = komga.series(current_user, series_id)
    state = series_progress.tachiyomi_v2(current_user, _numbered(series))
    return TachiyomiV2(
        books_count=state.counts.total,
        books_read_count=state.counts.read,
        books_unread_count=state.counts.unread,
        books_in_progress_count=state.counts.in_progress,
        last_read_continuous_number_sort=state.last_read_continuous_number_sort,
        max_number_sort=state.max_number_sort,
    )


@put("/api/v2/series/{series_id:str}/read-progress/tachiyomi", status_code=204, sync_to_thread=True)
def series_tachiyomi_put(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    series_progress: NamedDependency[SeriesProgressService],
    series_id: FromPath[str],
    body: RawBody,
) -> None:
    """``{lastBookNumberSortRead}``: every book numbered up to it is read; nothing unmarked."""
    series = komga.series(current_user, series_id)
    last = _number(_object(body), "lastBookNumberSortRead")
    device = token_device(request)
    series_progress.put_tachiyomi_v2(current_user, _numbered(series), last, device=device)


# --- read lists ----------------------------------------------------------------------------


def _list_comics(
    komga: SeriesCatalog, issues: IssueService, lists: ReadLists, list_id: str
) -> list[IndexedComic]:
    """The read list's Komga books in list order (what its ``bookIds`` name)."""
    rows = lists.books(lists.get(list_id))
    return [book.comic for book, _ in list_books(komga, issues, lists.user, rows)]


@get("/api/v1/readlists/{list_id:str}/read-progress/tachiyomi", sync_to_thread=True)
def readlist_tachiyomi(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    series_progress: NamedDependency[SeriesProgressService],
    list_id: FromPath[str],
) -> TachiyomiV1:
    lists = ReadLists(reading_orders, reading_lists, current_user)
    state = series_progress.tachiyomi_v1(current_user, _list_comics(komga, issues, lists, list_id))
    return TachiyomiV1(
        books_count=state.counts.total,
        books_read_count=state.counts.read,
        books_unread_count=state.counts.unread,
        books_in_progress_count=state.counts.in_progress,
        last_read_continuous_index=state.last_read_continuous_index,
    )


@put(
    "/api/v1/readlists/{list_id:str}/read-progress/tachiyomi", status_code=204, sync_to_thread=True
)
def readlist_tachiyomi_put(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    series_progress: NamedDependency[SeriesProgressService],
    list_id: FromPath[str],
    body: RawBody,
) -> None:
    """``{lastBookRead}``: the first that many books in list order are read; nothing
    unmarked; a negative count is a 400."""
    lists = ReadLists(reading_orders, reading_lists, current_user)
    comics = _list_comics(komga, issues, lists, list_id)
    last = _whole(_object(body), "lastBookRead")
    if last is None:
        raise InvalidInput("lastBookRead is required")
    device = token_device(request)
    series_progress.put_tachiyomi_v1(current_user, comics, last, device=device)


PROGRESS_HANDLERS = [
    book_progress_patch,
    book_progress_delete,
    series_mark_read,
    series_mark_unread,
    series_tachiyomi,
    series_tachiyomi_put,
    readlist_tachiyomi,
    readlist_tachiyomi_put,
]
