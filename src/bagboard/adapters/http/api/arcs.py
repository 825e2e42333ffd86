"""``/arcs``: story arcs, as the comics' ComicInfo names them (a bagboard extension).

The index keeps arcs; every user sees the arcs with comics in their libraries, and of each
only those comics, in arc order. An arc has the shape of a reading list (``kind: "arc"``).
"""

from __future__ import annotations

from litestar import Controller, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.browse_json import IssueJson, ListBody
from bagboard.adapters.http.api.params import PageParam, PageSizeParam
from bagboard.adapters.http.api.readlist_params import ARC_MISSING, ArcIdParam, arc_id_of, served
from bagboard.adapters.http.api.readlists_json import (
    ComicListJson,
    comic_list_json,
    comic_lists_body,
    issue_list_body,
)
from bagboard.adapters.http.docs import examples, list_examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.reading_orders import ListKind, ReadingOrderService

__all__ = ["ArcsController"]


class ArcsController(Controller):
    path = "/arcs"
    tags = ["arcs"]

    @get(
        "/",
        sync_to_thread=False,
        responses=ok(ListBody[ComicListJson], list_examples.ARCS) | NOT_MODIFIED,
    )
    def arcs(
        self,
        current_user: NamedDependency[User],
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Story arcs with comics in the caller's libraries, by name."""
        listed = served(reading_orders).story_arcs(
            current_user, PageRequest.from_raw(page, page_size)
        )
        return cached_json(comic_lists_body(listed), if_none_match)

    @get(
        "/{arc_id:str}",
        sync_to_thread=False,
        responses=ok(ComicListJson, list_examples.ARC) | NOT_MODIFIED | ARC_MISSING,
    )
    def arc(
        self,
        current_user: NamedDependency[User],
        arc_id: ArcIdParam,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """One story arc: its name, how many of its comics the caller may see, its cover."""
        found = served(reading_orders).get(current_user, ListKind.STORY_ARC, arc_id_of(arc_id))
        return cached_json(comic_list_json(found), if_none_match)

    @get(
        "/{arc_id:str}/issues",
        sync_to_thread=False,
        responses=ok(ListBody[IssueJson], examples.ISSUES) | NOT_MODIFIED | ARC_MISSING,
    )
    def issues(
        self,
        current_user: NamedDependency[User],
        arc_id: ArcIdParam,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The arc's comics the caller may see, in arc order, with the caller's reading
        progress."""
        listed = served(reading_orders).issues(
            current_user,
            ListKind.STORY_ARC,
            arc_id_of(arc_id),
            PageRequest.from_raw(page, page_size),
        )
        return cached_json(issue_list_body(listed), if_none_match)
