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
from litestar.response import Stream

from bagboard.adapters.http.api.issue_json import (
    IssueDetailJson,
    PagesBody,
    comic_media_type,
    image_response,
    issue_body,
    not_modified,
    pages_body,
)
from bagboard.adapters.http.api.params import IssueIdParam, PageNumberParam, SizeParam
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.openapi import error_statuses, ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.files.download import download
from bagboard.adapters.http.files.ranges import weak_match
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.services.issues import IssueService
from bagboard.services.renditions import RenditionService

__all__ = ["MISSING", "UNREADABLE", "IssueController"]

MISSING = error_statuses({404: "`not_found`: no such comic, or not in the caller's libraries."})
UNREADABLE = error_statuses({422: "The archive or the image cannot be read."})


class IssueController(Controller):
    path = "/issue"
    tags = ["issues"]

    @get(
        "/{issue_id:str}",
        sync_to_thread=False,
        responses=ok(IssueDetailJson, examples.ISSUE) | MISSING,
    )
    def detail(
        self,
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """Metadata, reading progress, page count and format of one comic."""
        return cached_json(issue_body(issues.detail(current_user, issue_id)), if_none_match)

    @get(
        "/{issue_id:str}/cover",
        responses=ok(bytes, description="JPEG", media_type="image/jpeg") | MISSING | UNREADABLE,
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
        """The cover as a JPEG, long edge at most ``size`` (default 400, 64..2000)."""
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
            description="The archive file (206 and a part of it for a Range)",
            media_type="application/vnd.comicbook+zip",
        )
        | MISSING,
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
    ) -> Response[bytes] | Stream:
        """The comic file, with Range, If-Range and conditional requests."""
        source = issues.file(current_user, issue_id)
        return await download(
            request.headers, request.method, source, media_type=comic_media_type(source.comic)
        )

    @get(
        "/{issue_id:str}/pages",
        sync_to_thread=True,
        responses=ok(PagesBody, examples.PAGES) | MISSING | UNREADABLE,
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
        sync_to_thread=True,
        responses=ok(bytes, description="The page image", media_type="image/jpeg")
        | MISSING
        | UNREADABLE,
    )
    def page(
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
        target = issues.page_target(current_user, issue_id, number, size)
        if weak_match(if_none_match, target.etag):
            return not_modified(target.etag)
        return image_response(renditions.page(target), None)
