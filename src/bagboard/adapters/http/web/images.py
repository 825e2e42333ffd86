"""Covers and pages for the web app, and the reader's position: the same services, and so the
same rendition cache, as ``/api/v1/issue/<id>/cover`` and ``/page/<n>``."""

from __future__ import annotations

import anyio.to_thread
import msgspec
from litestar import Response, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from bagboard.adapters.http.api.issue_json import image_response, not_modified
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.files.ranges import weak_match
from bagboard.adapters.http.image_answers import answer_page
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.progress import ProgressChange
from bagboard.services.issues import IssueService
from bagboard.services.progress import ProgressService
from bagboard.services.renditions import RenditionService

__all__ = ["IMAGE_HANDLERS", "PositionWrite"]


@get("/web/issue/{issue_id:str}/cover", include_in_schema=False)
async def cover(
    issues: NamedDependency[IssueService],
    renditions: NamedDependency[RenditionService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    if_none_match: IfNoneMatch = None,
    size: FromQuery[str | None] = None,
) -> Response[bytes]:
    target = issues.cover_target(current_user, issue_id, size)
    if weak_match(if_none_match, target.etag):
        return not_modified(target.etag)
    rendition = renditions.hot(target)
    if rendition is None:
        rendition = await anyio.to_thread.run_sync(renditions.render, target)
    return image_response(rendition, None)


@get("/web/issue/{issue_id:str}/page/{number:str}", include_in_schema=False)
async def page_image(
    issues: NamedDependency[IssueService],
    renditions: NamedDependency[RenditionService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    number: FromPath[str],
    if_none_match: IfNoneMatch = None,
    size: FromQuery[str | None] = None,
) -> Response[bytes]:
    return await answer_page(
        issues, renditions, current_user, issue_id, number, size, if_none_match
    )


class PositionWrite(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The reader's write: the page on screen (from 1), and ``read`` at the last page."""

    page: int
    read: bool = False


class Saved(msgspec.Struct, frozen=True):
    page: int
    is_read: bool


@put("/web/api/issue/{issue_id:str}/progress", sync_to_thread=True, include_in_schema=False)
def save_position(
    issues: NamedDependency[IssueService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    issue_id: FromPath[str],
    data: JSONBody[PositionWrite],
) -> Saved:
    comic = issues.comic(current_user, issue_id)
    change = ProgressChange(page_number=data.page, total_pages=comic.page_count or None)
    stored = progress.save_in(current_user, comic, change)
    if data.read:
        # The mark moves the position on to the last page if the page sent was before it.
        stored = progress.set_read_in(current_user, comic, True) or stored
    return Saved(stored.page_number, data.read)


IMAGE_HANDLERS = (cover, page_image, save_position)
