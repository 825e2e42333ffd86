"""Reading lists and story arcs in the web app: the page of them all, and one list's or arc's
comics in reading order.

Both kinds come from ``ReadingOrderService`` as ``ComicList``s, named in URLs by their ref
(``/lists/12``, ``/lists/arc-12``). A reading list's page shows every entry of the list, in
order, through ``ReadingListService.show``: the comics the user has as cards, the books the
library lacks (or keeps in a library the user may not see) as plain lines; an arc holds only
comics, so its page is cards. A list that is neither the user's nor shared, an arc without a
comic the user may see, or a ref that names nothing is the 404 page.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.list_views import Run, entry_runs, list_href, list_tiles
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import issue_cards, pager
from bagboard.domain.errors import NotFound
from bagboard.domain.model import Role, User
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.readlists import MAX_LIST_FILE_BYTES
from bagboard.services.listings import IssueItem
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ListKind, ReadingOrderService, parse_ref

__all__ = ["LISTS", "LIST_PAGE_HANDLERS", "first_unread", "list_ref_of"]

LISTS: Final = "/lists"
GRID_SIZE: Final = 60
_NOTICES: Final = {"removed": "Reading list removed."}

PageNumber = Annotated[str | None, QueryParameter(name="page")]
ArcsPage = Annotated[str | None, QueryParameter(name="arcs")]
Notice = Annotated[str | None, QueryParameter(name="notice")]


def list_ref_of(ref: str, kind: ListKind | None = None) -> tuple[ListKind, int]:
    """The list a URL names; ``NotFound`` for anything else, or for another ``kind``."""
    parsed = parse_ref(ref)
    if parsed is None or (kind is not None and parsed[0] is not kind):
        raise NotFound("no such reading list")
    return parsed


def first_unread(
    orders: ReadingOrderService, user: User, kind: ListKind, list_id: int
) -> IssueItem | None:
    """The first comic of the list (arc), in reading order, the user has not marked read."""
    request = PageRequest(1, MAX_PAGE_SIZE)
    while True:
        got = orders.issues(user, kind, list_id, request)
        unread = next((item for item in got.items if not item.reading.is_read), None)
        if unread is not None or not got.items or not got.has_more:
            return unread
        request = PageRequest(request.page + 1, MAX_PAGE_SIZE)


@get(LISTS, sync_to_thread=False, include_in_schema=False)
def lists_page(
    request: Request[Any, Any, Any],
    reading_orders: NamedDependency[ReadingOrderService],
    current_user: NamedDependency[User],
    arcs: ArcsPage = None,
    notice: Notice = None,
) -> Template:
    story_arcs = reading_orders.story_arcs(current_user, PageRequest.from_raw(arcs, GRID_SIZE))
    context = {
        "title": "Reading lists",
        "lists": list_tiles(reading_orders.reading_lists(current_user)),
        "arcs": list_tiles(list(story_arcs.items)),
        "arcs_pager": pager(story_arcs),
        "may_share": current_user.role is Role.OWNER,
        "max_megabytes": MAX_LIST_FILE_BYTES // (1024 * 1024),
        "notice": _NOTICES.get(notice or ""),
    }
    return page("lists.html", request, context)


@get(f"{LISTS}/{{ref:str}}", sync_to_thread=False, include_in_schema=False)
def list_page(
    request: Request[Any, Any, Any],
    reading_orders: NamedDependency[ReadingOrderService],
    reading_lists: NamedDependency[ReadingListService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    ref: FromPath[str],
    page_number: PageNumber = None,
) -> Template:
    kind, list_id = list_ref_of(ref)
    view = reading_orders.get(current_user, kind, list_id)
    wanted = PageRequest.from_raw(page_number, GRID_SIZE)
    if kind is ListKind.STORY_ARC:
        comics = reading_orders.issues(current_user, kind, list_id, wanted)
        runs = [Run(cards=tuple(issue_cards(list(comics.items))))] if comics.items else []
        listed = pager(comics)
    else:
        shown = reading_lists.show(current_user, list_id, wanted)
        ids = [entry.comic_id for entry in shown.entries.items if entry.comic_id is not None]
        readings = progress.readings(current_user, ids) if ids else {}
        runs = entry_runs(shown.entries.items, shown.comics, readings)
        listed = pager(shown.entries)
    following = first_unread(reading_orders, current_user, kind, list_id)
    context = {
        "title": view.name or "Untitled list",
        "list": view,
        "is_arc": kind is ListKind.STORY_ARC,
        "runs": runs,
        "pager": listed,
        "here": list_href(view),
        "continue_to": following,
        "continue_label": issue_cards([following])[0].title if following else "",
    }
    return page("list.html", request, context)


LIST_PAGE_HANDLERS = (lists_page, list_page)
