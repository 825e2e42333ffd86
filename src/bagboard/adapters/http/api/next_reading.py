"""What to read next (a bagboard extension): ``/library/on-deck`` and
``/library/continue-reading``, and ``/issue/<id>/lists``, the reading lists and story arcs
that hold a comic.

Both lists are issue lists as ``/library/issues`` answers them in metadata mode, the most
recent activity first: continue reading holds the comics the caller has started and not
finished; on deck the next comic of each series and reading list the caller is in the middle
of (``services.reading_orders``).
"""

from __future__ import annotations

from litestar import Controller, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.browse_json import IssueJson, ListBody
from bagboard.adapters.http.api.issues import MISSING
from bagboard.adapters.http.api.params import IssueIdParam, PageParam, PageSizeParam
from bagboard.adapters.http.api.readlist_params import served
from bagboard.adapters.http.api.readlists_json import (
    ComicListJson,
    comic_lists_body,
    issue_list_body,
    page_of,
)
from bagboard.adapters.http.docs import examples, list_examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.issues import IssueService
from bagboard.services.reading_orders import ReadingOrderService

__all__ = ["ComicListsController", "ReadingNextController"]


class ReadingNextController(Controller):
    path = "/library"
    tags = ["reading"]

    @get(
        "/on-deck",
        sync_to_thread=False,
        responses=ok(ListBody[IssueJson], examples.ISSUES) | NOT_MODIFIED,
    )
    def on_deck(
        self,
        current_user: NamedDependency[User],
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The next comic of each series and reading list the caller is in the middle of (one
        read, none left half-read), the most recent activity first."""
        listed = served(reading_orders).on_deck(current_user, PageRequest.from_raw(page, page_size))
        return cached_json(issue_list_body(listed), if_none_match)

    @get(
        "/continue-reading",
        sync_to_thread=False,
        responses=ok(ListBody[IssueJson], examples.ISSUES) | NOT_MODIFIED,
    )
    def continue_reading(
        self,
        current_user: NamedDependency[User],
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Comics the caller has started and not marked read, the most recently read first."""
        listed = served(reading_orders).continue_reading(
            current_user, PageRequest.from_raw(page, page_size)
        )
        return cached_json(issue_list_body(listed), if_none_match)


class ComicListsController(Controller):
    path = "/issue"
    tags = ["readlists"]

    @get(
        "/{issue_id:str}/lists",
        sync_to_thread=False,
        responses=ok(ListBody[ComicListJson], list_examples.CONTAINING) | NOT_MODIFIED | MISSING,
    )
    def lists(
        self,
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The reading lists (the caller's own and shared) and story arcs that hold the comic:
        lists first, each by name."""
        comic = issues.comic(current_user, issue_id)
        found = served(reading_orders).containing(current_user, comic.id)
        listed = page_of(found, PageRequest.from_raw(page, page_size))
        return cached_json(comic_lists_body(listed), if_none_match)
