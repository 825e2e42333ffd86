"""A page image answered on the event loop when nothing has to wait, in a worker thread when
something does.

A reader turning pages asks for page after page of one comic. Its page list is kept in
memory after the first page (``services/page_lists.py``), and a page's bytes are in the page
cache once the archive has been read lately; then the answer needs neither the disk nor a
worker thread, whose hand-off alone cost as much as the rest of the answer (in-process: 0.35
against 0.17 ms of CPU for a page streamed by OPDS). The first page of a comic, a cold file or
an image to encode go to a worker thread as before.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio.to_thread
from litestar import Response

from bagboard.adapters.http.api.issue_json import image_response, not_modified
from bagboard.adapters.http.files.ranges import weak_match
from bagboard.domain.images import Rendition
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.renditions import RenditionService, RenditionTarget

__all__ = ["answer_image", "answer_page", "answer_stream"]


async def answer_image(
    kept: Callable[[], RenditionTarget | None],
    resolve: Callable[[], RenditionTarget],
    ready: Callable[[RenditionTarget], Rendition | None],
    make: Callable[[RenditionTarget], Rendition],
    if_none_match: str | None,
) -> tuple[RenditionTarget, Response[bytes]]:
    """The target ``kept`` gives, else ``resolve``'s in a worker thread; then a 304 when the
    client has it, else the image ``ready`` gives, else ``make``'s in a worker thread."""
    target = kept()
    if target is None:
        target = await anyio.to_thread.run_sync(resolve)
    if weak_match(if_none_match, target.etag):
        return target, not_modified(target.etag)
    rendition = ready(target)
    if rendition is None:
        rendition = await anyio.to_thread.run_sync(make, target)
    return target, image_response(rendition, None)


async def answer_page(
    issues: IssueService,
    renditions: RenditionService,
    user: User,
    issue_id: str,
    number: str,
    size: str | None,
    if_none_match: str | None,
) -> Response[bytes]:
    """Page ``number`` (from 1) of the comic ``issue_id`` as stored, or a JPEG of ``size``."""
    comic = issues.comic(user, issue_id)
    _, response = await answer_image(
        lambda: renditions.kept_page_target(comic, number, size),
        lambda: renditions.page_target(comic, number, size),
        renditions.page_ready,
        renditions.page,
        if_none_match,
    )
    return response


async def answer_stream(
    issues: IssueService,
    renditions: RenditionService,
    user: User,
    issue_id: str,
    index: str,
    width: str | None,
    if_none_match: str | None,
) -> tuple[RenditionTarget, Response[bytes]]:
    """Page ``index`` (from 0, as OPDS page streaming counts) of the comic ``issue_id``, a
    JPEG at most ``width`` wide, and the target it was, for the caller's tracking."""
    comic = issues.comic(user, issue_id)
    return await answer_image(
        lambda: renditions.kept_stream_target(comic, index, width),
        lambda: renditions.stream_target(comic, index, width),
        renditions.stream_ready,
        renditions.stream,
        if_none_match,
    )
