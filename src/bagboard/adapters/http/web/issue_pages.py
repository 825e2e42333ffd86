"""One comic in the web app: its page, its marks and shelves, its download and its reader.

The comic is looked up once per request through ``IssueService`` (the user's scope decides,
as for ``/api/v1/issue``); marks go through ``ProgressService`` and shelves through
``ShelfService``, the stores every other protocol writes to.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Stream, Template

from bagboard.adapters.http.api.issue_json import comic_media_type
from bagboard.adapters.http.files.download import download as send_file
from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import RIGHT_TO_LEFT, comic_label, metadata_rows, query
from bagboard.domain.model import User
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.shelves import Shelf
from bagboard.services.issues import IssueDetail, IssueService
from bagboard.services.progress import ProgressService
from bagboard.services.shelves import ShelfService

__all__ = ["ISSUE_HANDLERS"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
_SHELF_PAGES: Final = 50


def _on_shelf(shelves: ShelfService, user: User, shelf: Shelf, path: str) -> bool:
    # The shelf service lists; whether one path is on a shelf is read from its pages.
    for number in range(1, _SHELF_PAGES + 1):
        listed = shelves.shelf(user, shelf, PageRequest(number, MAX_PAGE_SIZE))
        if any(view.entry.path == path for view in listed.items):
            return True
        if not listed.has_more:
            return False
    return False


def _title(detail: IssueDetail) -> str:
    comic, info = detail.comic, detail.comic.comic_info
    if info is None:
        return comic_label("", "", "", comic.name)
    return comic_label(info.series, info.number, info.title, comic.name)


def _is_on(form: dict[str, str]) -> bool:
    return form.get("on", "") == "1"


@get("/issue/{issue_id:str}", sync_to_thread=False, include_in_schema=False)
def issue(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    shelves: NamedDependency[ShelfService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
) -> Template:
    detail = issues.detail(current_user, issue_id)
    comic, info = detail.comic, detail.comic.comic_info
    position = detail.progress.page_number if detail.progress is not None else None
    series_link = None
    if info is not None and info.series:
        series_link = "/browse/issues" + query(
            mode="metadata", publisher=info.publisher, series=info.series
        )
    context = {
        "comic": comic,
        "title": _title(detail),
        "summary": info.summary if info is not None else "",
        "rows": metadata_rows(comic),
        "is_read": detail.reading.is_read,
        "position": position,
        "wanted": _on_shelf(shelves, current_user, Shelf.TO_READ, comic.path),
        "favourite": _on_shelf(shelves, current_user, Shelf.FAVORITES, comic.folder_path),
        "series_link": series_link,
        "folder_link": "/folder" + query(path=comic.folder_path),
    }
    return page("issue.html", request, context)


@post("/issue/{issue_id:str}/read", sync_to_thread=True, include_in_schema=False)
def mark_read(
    issues: NamedDependency[IssueService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    data: Form,
) -> Redirect:
    comic = issues.comic(current_user, issue_id)
    progress.set_read_in(current_user, comic, _is_on(data))
    return Redirect(f"/issue/{comic.id}", status_code=303)


@post("/issue/{issue_id:str}/to-read", sync_to_thread=True, include_in_schema=False)
def want_to_read(
    issues: NamedDependency[IssueService],
    shelves: NamedDependency[ShelfService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    data: Form,
) -> Redirect:
    comic = issues.comic(current_user, issue_id)
    if _is_on(data):
        shelves.add(current_user, Shelf.TO_READ, comic.path, "file")
    else:
        shelves.remove(current_user, Shelf.TO_READ, comic.path)
    return Redirect(f"/issue/{comic.id}", status_code=303)


@post("/issue/{issue_id:str}/favourite", sync_to_thread=True, include_in_schema=False)
def favourite(
    issues: NamedDependency[IssueService],
    shelves: NamedDependency[ShelfService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    data: Form,
) -> Redirect:
    """Favourites hold folders: this one is the folder the comic lies in."""
    comic = issues.comic(current_user, issue_id)
    if _is_on(data):
        shelves.add(current_user, Shelf.FAVORITES, comic.folder_path, "folder")
    else:
        shelves.remove(current_user, Shelf.FAVORITES, comic.folder_path)
    return Redirect(f"/issue/{comic.id}", status_code=303)


@get("/issue/{issue_id:str}/download", include_in_schema=False)
async def download(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
) -> Response[bytes] | Stream:
    source = issues.file(current_user, issue_id)
    return await send_file(
        request.headers, request.method, source, media_type=comic_media_type(source.comic)
    )


class ReaderConfig(msgspec.Struct, frozen=True):
    """What ``reader.js`` starts from."""

    id: int
    title: str
    pages: list[tuple[int, int]]
    start: int
    rtl: bool
    is_read: bool
    images: str
    progress: str
    back: str


def _script_json(value: msgspec.Struct) -> str:
    # Inside <script> nothing is entity-decoded: keep "</script>" and friends out as escapes.
    text = msgspec.json.encode(value).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@get("/read/{issue_id:str}", sync_to_thread=True, include_in_schema=False)
def reader(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
) -> Template:
    """*Blocking the first time* a comic is opened: its pages are measured."""
    detail = issues.detail(current_user, issue_id)
    comic = detail.comic
    pages = issues.page_list(comic)
    saved = detail.progress.page_number if detail.progress is not None else 1
    manga = comic.comic_info.manga if comic.comic_info is not None else ""
    config = ReaderConfig(
        id=comic.id,
        title=_title(detail),
        pages=[(p.width, p.height) for p in pages],
        start=min(max(saved, 1), max(len(pages), 1)),
        rtl=manga.casefold() == RIGHT_TO_LEFT,
        is_read=detail.reading.is_read,
        images=f"/web/issue/{comic.id}/page/",
        progress=f"/web/api/issue/{comic.id}/progress",
        back=f"/issue/{comic.id}",
    )
    return page("reader.html", request, {"title": config.title, "config": _script_json(config)})


ISSUE_HANDLERS = (issue, mark_read, want_to_read, favourite, download, reader)
