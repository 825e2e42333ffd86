"""``/readlists``: each user's reading lists and the shared ones, read (a bagboard extension).

A list shows every entry, resolved or not, with the book as the list names it; its issues are
the comics the caller may see, in list order, as the issue lists show comics. Importing,
exporting and removing lists is ``readlist_files.py``.
"""

from __future__ import annotations

from litestar import Controller, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.browse_json import IssueJson, ListBody
from bagboard.adapters.http.api.params import PageParam, PageSizeParam
from bagboard.adapters.http.api.readlist_params import (
    LIST_MISSING,
    ListIdParam,
    list_id_of,
    served,
)
from bagboard.adapters.http.api.readlists_json import (
    ComicListJson,
    ReadingListPageJson,
    comic_lists_body,
    issue_list_body,
    list_page_body,
    page_of,
)
from bagboard.adapters.http.docs import examples, list_examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ListKind, ReadingOrderService

__all__ = ["ReadingListsController"]


class ReadingListsController(Controller):
    path = "/readlists"
    tags = ["readlists"]

    @get(
        "/",
        sync_to_thread=False,
        responses=ok(ListBody[ComicListJson], list_examples.READING_LISTS) | NOT_MODIFIED,
    )
    def lists(
        self,
        current_user: NamedDependency[User],
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The caller's own reading lists and the shared ones, by name."""
        views = served(reading_orders).reading_lists(current_user)
        listed = page_of(views, PageRequest.from_raw(page, page_size))
        return cached_json(comic_lists_body(listed), if_none_match)

    @get(
        "/{list_id:str}",
        sync_to_thread=False,
        responses=ok(ReadingListPageJson, list_examples.READING_LIST) | NOT_MODIFIED | LIST_MISSING,
    )
    def detail(
        self,
        current_user: NamedDependency[User],
        progress: NamedDependency[ProgressService],
        list_id: ListIdParam,
        reading_lists: NamedDependency[ReadingListService | None] = None,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """A list's header and a page of its entries in list order, unresolved ones included:
        each with the book as the list names it and its comic, or null."""
        number = list_id_of(list_id)
        header = served(reading_orders).get(current_user, ListKind.READING_LIST, number)
        view = served(reading_lists).show(
            current_user, number, PageRequest.from_raw(page, page_size)
        )
        readings = progress.readings(current_user, list(view.comics))
        return cached_json(list_page_body(header, view, readings), if_none_match)

    @get(
        "/{list_id:str}/issues",
        sync_to_thread=False,
        responses=ok(ListBody[IssueJson], examples.ISSUES) | NOT_MODIFIED | LIST_MISSING,
    )
    def issues(
        self,
        current_user: NamedDependency[User],
        list_id: ListIdParam,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The list's comics the caller may see, in list order, each once, with the caller's
        reading progress."""
        listed = served(reading_orders).issues(
            current_user,
            ListKind.READING_LIST,
            list_id_of(list_id),
            PageRequest.from_raw(page, page_size),
        )
        return cached_json(issue_list_body(listed), if_none_match)
