"""``/api/v1/books/{id}``: one book, its neighbours, its pages, page images and page
thumbnails, its cover.

Binary answers ignore ``Accept`` (Komelia asks for page images with ``application/json``).
Pages count from 1, as ``/api/v1``'s do; ``zero_based=true`` counts from 0.
"""

from __future__ import annotations

import io
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from PIL import Image

from bagboard.adapters.http.komga.book_json import book_dto
from bagboard.adapters.http.komga.paging import first_value, flag
from bagboard.adapters.http.komga.series_json import human_size
from bagboard.adapters.http.komga.series_routes import query_of
from bagboard.adapters.http.komga.wire_books import BookDto, PageDto
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.series_catalog import BookView, SeriesCatalog, SeriesView

__all__ = ["BOOK_HANDLERS"]


def _find(
    issues: IssueService, komga: SeriesCatalog, user: User, book_id: str
) -> tuple[BookView, SeriesView]:
    comic = issues.comic(user, book_id)
    series = komga.series_of(user, comic)
    book = next((b for b in series.books if b.comic.id == comic.id), None)
    if book is None:
        raise NotFound("no such book")
    return book, series


@get("/api/v1/books/{book_id:str}", sync_to_thread=False)
def book_one(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> BookDto:
    return book_dto(*_find(issues, komga, current_user, book_id))


def _neighbour(
    issues: IssueService, komga: SeriesCatalog, user: User, book_id: str, step: int
) -> BookDto:
    book, series = _find(issues, komga, user, book_id)
    index = book.number - 1 + step
    if not 0 <= index < len(series.books):
        raise NotFound("no such book")
    return book_dto(series.books[index], series)


@get("/api/v1/books/{book_id:str}/previous", sync_to_thread=False)
def book_previous(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> BookDto:
    return _neighbour(issues, komga, current_user, book_id, -1)


@get("/api/v1/books/{book_id:str}/next", sync_to_thread=False)
def book_next(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> BookDto:
    return _neighbour(issues, komga, current_user, book_id, 1)


@get("/api/v1/books/{book_id:str}/pages", sync_to_thread=True)
def book_pages(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> list[PageDto]:
    pages = issues.pages(current_user, book_id)
    return [
        PageDto(
            number=page.number,
            file_name=page.name,
            media_type=page.media_type,
            width=page.width or None,
            height=page.height or None,
            size_bytes=page.size,
            size=human_size(page.size),
        )
        for page in pages
    ]


@get("/api/v1/books/{book_id:str}/pages/{number:str}", sync_to_thread=True)
def book_page(
    request: Request[Any, Any, Any],
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
    number: FromPath[str],
) -> Response[bytes]:
    query = query_of(request)
    convert = (first_value(query, "convert") or "").strip().lower()
    if convert not in ("", "png", "jpeg"):
        raise InvalidInput("convert must be png or jpeg")
    if not number.isascii() or not number.isdigit() or len(number) > 9:
        raise InvalidInput("no such page")
    page = int(number) + (1 if flag(query, "zero_based") else 0)
    comic = issues.comic(current_user, book_id)
    if not 1 <= page <= len(issues.page_list(comic)):
        raise InvalidInput("page number out of range")
    if convert == "jpeg":
        # The renditions' JPEG, as OPDS page streaming serves it (counted from 0 there).
        image = issues.stream_page(current_user, comic.id, page - 1)
        return Response(content=image.data, media_type="image/jpeg")
    image = issues.page_image(current_user, comic.id, page)
    if convert == "png" and image.media_type != "image/png":
        with Image.open(io.BytesIO(image.data)) as decoded:
            out = io.BytesIO()
            decoded.save(out, format="PNG")
        return Response(content=out.getvalue(), media_type="image/png")
    return Response(content=image.data, media_type=image.media_type)


# Komga renders page thumbnails 300 pixels on the long edge; snapped to a cached size.
PAGE_THUMBNAIL_SIZE = 300


@get("/api/v1/books/{book_id:str}/pages/{number:str}/thumbnail", sync_to_thread=True)
def book_page_thumbnail(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
    number: FromPath[str],
) -> Response[bytes]:
    """Komelia's reader strip: page ``number`` (from 1) as a small JPEG; 404 out of range."""
    if not number.isascii() or not number.isdigit() or len(number) > 9:
        raise NotFound("no such page")
    image = issues.page_image(current_user, book_id, int(number), PAGE_THUMBNAIL_SIZE)
    return Response(content=image.data, media_type=image.media_type)


@get("/api/v1/books/{book_id:str}/thumbnail", sync_to_thread=True)
def book_thumbnail(
    current_user: NamedDependency[User],
    issues: NamedDependency[IssueService],
    book_id: FromPath[str],
) -> Response[bytes]:
    cover = issues.cover(current_user, book_id)
    return Response(content=cover.data, media_type=cover.media_type)


BOOK_HANDLERS = [
    book_one,
    book_previous,
    book_next,
    book_pages,
    book_page,
    book_page_thumbnail,
    book_thumbnail,
]
