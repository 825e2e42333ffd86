"""``/issue/<id>``: one comic's detail, cover, file and pages (contract §5).

The id is taken as a string: a non-integer id is a 404 like any unknown one, never a 400.
Each request looks the comic up once (``IssueService``); the target it gets carries the comic
to ``RenditionService``. Index lookups run on the event loop; opening archives, decoding images
and reading the file run in worker threads (``sync_to_thread=True`` or ``anyio.to_thread``).
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.response import Stream

from bagboard.adapters.http.api.issue_json import (
    COMIC_MEDIA_TYPES,
    IssueDetailJson,
    PagesBody,
    comic_media_type,
    image_response,
    issue_body,
    not_modified,
    pages_body,
)
from bagboard.adapters.http.api.params import (
    IfModifiedSince,
    IfRange,
    IssueIdParam,
    PageNumberParam,
    RangeHeader,
    SizeParam,
)
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED, media_types
from bagboard.adapters.http.docs.openapi import error_statuses, ok
from bagboard.adapters.http.encoded import json_answer
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.files.download import download
from bagboard.adapters.http.files.ranges import weak_match
from bagboard.adapters.http.image_answers import answer_page
from bagboard.adapters.http.routing import get
from bagboard.domain.images import JPEG, PAGE_MEDIA_TYPES
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.renditions import RenditionService

__all__ = ["MISSING", "UNREADABLE", "IssueController"]

MISSING = error_statuses({404: "`not_found`: no such comic, or not in the caller's libraries."})
UNREADABLE = error_statuses({422: "The archive or the image cannot be read."})
BAD_SIZE = error_statuses({400: "`size must be an integer`: `size` is not an integer."})
NO_RANGE = error_statuses(
    {
        416: "`range_not_satisfiable`: no requested range is inside the file (`Content-Range` "
        "gives its size)."
    }
)
# Every type ``comic_media_type`` answers: one per archive format, and the generic one for a
# file whose format is unknown.
FILE_TYPES = (*COMIC_MEDIA_TYPES.values(), "application/octet-stream")
PART = {
    206: ResponseSpec(
        bytes,
        description="The part a `Range` asked for (several parts: `multipart/byteranges`).",
        media_type=FILE_TYPES[0],
        generate_examples=False,
    )
}


class IssueController(Controller):
    path = "/issue"
    tags = ["issues"]

    @get(
        "/{issue_id:str}",
        sync_to_thread=False,
        responses=ok(IssueDetailJson, examples.ISSUE) | NOT_MODIFIED | MISSING,
    )
    def detail(
        self,
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """Metadata, reading progress, page count and format of one comic."""
        return json_answer(issues.detail(current_user, issue_id), issue_body, if_none_match)

    @get(
        "/{issue_id:str}/cover",
        responses=ok(bytes, description="JPEG", media_type=JPEG)
        | NOT_MODIFIED
        | BAD_SIZE
        | MISSING
        | UNREADABLE,
    )
    async def cover(
        self,
        issues: NamedDependency[IssueService],
        renditions: NamedDependency[RenditionService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        if_none_match: IfNoneMatch = None,
        size: SizeParam = None,
    ) -> Response[bytes]:
        """The cover as a JPEG, long edge at most ``size`` (default 400, clamped to 64..2000)."""
        target = issues.cover_target(current_user, issue_id, size)
        if weak_match(if_none_match, target.etag):
            return not_modified(target.etag)
        rendition = renditions.hot(target)
        if rendition is None:
            rendition = await anyio.to_thread.run_sync(renditions.render, target)
        return image_response(rendition, None)

    @get(
        "/{issue_id:str}/download",
        responses=ok(
            bytes,
            description="The comic file, in the media type of its format",
            media_type=FILE_TYPES[0],
        )
        | PART
        | NOT_MODIFIED
        | MISSING
        | NO_RANGE,
        opt=media_types({200: FILE_TYPES, 206: (*FILE_TYPES, "multipart/byteranges")}),
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        if_none_match: IfNoneMatch = None,
        if_modified_since: IfModifiedSince = None,
        range_: RangeHeader = None,
        if_range: IfRange = None,
    ) -> Response[bytes] | Stream:
        """The comic file as stored, byte for byte: one range or several (``Range``, with
        ``If-Range``), and conditional requests (``If-None-Match``, ``If-Modified-Since``)."""
        source = issues.file(current_user, issue_id)
        return await download(
            request.headers, request.method, source, media_type=comic_media_type(source.comic)
        )

    @get(
        "/{issue_id:str}/pages",
        sync_to_thread=True,
        responses=ok(PagesBody, examples.PAGES) | NOT_MODIFIED | MISSING | UNREADABLE,
    )
    def pages(
        self,
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """Every page with its dimensions, byte size and media type."""
        return cached_json(pages_body(issues.pages(current_user, issue_id)), if_none_match)

    @get(
        "/{issue_id:str}/page/{number:str}",
        responses=ok(bytes, description="The page image", media_type=JPEG)
        | NOT_MODIFIED
        | BAD_SIZE
        | MISSING
        | UNREADABLE,
        opt=media_types({200: PAGE_MEDIA_TYPES}),
    )
    async def page(
        self,
        issues: NamedDependency[IssueService],
        renditions: NamedDependency[RenditionService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        number: PageNumberParam,
        if_none_match: IfNoneMatch = None,
        size: SizeParam = None,
    ) -> Response[bytes]:
        """Page ``number`` (from 1) as stored, or with ``size`` a JPEG of that long edge."""
        return await answer_page(
            issues, renditions, current_user, issue_id, number, size, if_none_match
        )
