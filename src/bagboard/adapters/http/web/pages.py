"""The browsing pages: home, publishers, series, a series' issues, a folder, search.

Each calls the service the JSON API calls for the same list (``BrowseService``,
``ShelfService``; ``ReadingOrderService`` for the home page's "On deck") with the signed-in
user, and hands the result to a template through ``views``. Lists read the index only, so
they run on the event loop (see ``app.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import (
    facet_groups,
    folder_groups,
    issue_cards,
    pager,
    query,
    shelf_cards,
)
from bagboard.domain.browse import Facet
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.shelves import Shelf
from bagboard.services.browse import BrowseService, FolderItem
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.shelves import ShelfService

__all__ = ["PAGE_HANDLERS"]

GRID_SIZE: Final = 60
SHELF_ROW: Final = 12

Text = FromQuery[str | None]
PageNumber = Annotated[str | None, QueryParameter(name="page")]


def _request(raw: str | None, size: int = GRID_SIZE) -> PageRequest:
    return PageRequest.from_raw(raw, size)


@get("/", sync_to_thread=False, include_in_schema=False)
def home(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    shelves: NamedDependency[ShelfService],
    reading_orders: NamedDependency[ReadingOrderService],
    current_user: NamedDependency[User],
) -> Template:
    first = PageRequest(1, SHELF_ROW)
    wanted, wanted_folders = shelf_cards(shelves.shelf(current_user, Shelf.TO_READ, first).items)
    _, favourites = shelf_cards(shelves.shelf(current_user, Shelf.FAVORITES, first).items)
    context = {
        "keep_reading": issue_cards(browse.keep_reading(current_user, first).items),
        "on_deck": issue_cards(reading_orders.on_deck(current_user, first).items),
        "recent": issue_cards(browse.recent(current_user, first).items),
        "wanted": wanted,
        "wanted_folders": wanted_folders,
        "favourites": favourites,
    }
    return page("home.html", request, context)


@get("/browse", sync_to_thread=False, include_in_schema=False)
def publishers(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    mode: Text = None,
    page_number: PageNumber = None,
) -> Template:
    listing = browse.publishers(current_user, mode=mode, page=_request(page_number))
    shown = listing.mode.value
    items = list(listing.page.items)
    groups = facet_groups(
        [i for i in items if isinstance(i, Facet)], "series", shown
    ) + folder_groups([i for i in items if isinstance(i, FolderItem)], "series", shown)
    context = {
        "title": "Publishers",
        "mode": shown,
        "groups": groups,
        "pager": pager(listing.page),
        "here": "/browse" + query(mode=shown),
        "crumbs": [],
    }
    return page("groups.html", request, context)


@get("/browse/series", sync_to_thread=False, include_in_schema=False)
def series(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    mode: Text = None,
    publisher: Text = None,
    page_number: PageNumber = None,
) -> Template:
    listing = browse.series(
        current_user, mode=mode, publisher=publisher, page=_request(page_number)
    )
    shown = listing.mode.value
    items = list(listing.page.items)
    groups = facet_groups(
        [i for i in items if isinstance(i, Facet)], "issues", shown, publisher or ""
    ) + folder_groups(
        [i for i in items if isinstance(i, FolderItem)], "issues", shown, publisher or ""
    )
    context = {
        "title": publisher or "All series",
        "mode": shown,
        "groups": groups,
        "pager": pager(listing.page),
        "here": "/browse/series" + query(mode=shown, publisher=publisher),
        "crumbs": [("Publishers", "/browse" + query(mode=shown))],
    }
    return page("groups.html", request, context)


@get("/browse/issues", sync_to_thread=False, include_in_schema=False)
def issues(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    mode: Text = None,
    publisher: Text = None,
    series: Text = None,
    volume: Text = None,
    page_number: PageNumber = None,
) -> Template:
    listing = browse.issues(
        current_user,
        mode=mode,
        publisher=publisher,
        series=series,
        volume=volume,
        page=_request(page_number),
    )
    shown = listing.mode.value
    crumbs = [("Publishers", "/browse" + query(mode=shown))]
    if publisher:
        crumbs.append((publisher, "/browse/series" + query(mode=shown, publisher=publisher)))
    context = {
        "title": " ".join(part for part in (series, volume) if part),
        "publisher": publisher,
        "mode": shown,
        "cards": issue_cards(list(listing.page.items)),
        "total": listing.page.total,
        "pager": pager(listing.page),
        "here": "/browse/issues"
        + query(mode=shown, publisher=publisher, series=series, volume=volume),
        "crumbs": crumbs,
    }
    return page("series.html", request, context)


@get("/folder", sync_to_thread=False, include_in_schema=False)
def folder(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    path: Text = None,
    page_number: PageNumber = None,
) -> Template:
    contents = browse.folder(current_user, path or None, _request(page_number))
    here = contents.folder
    subfolders = [
        (item.folder.name, "/folder" + query(path=item.folder.path), item.folder.comic_count)
        for item in contents.folders
    ]
    context = {
        "title": here.name if here is not None else "Folders",
        "folder_path": here.path if here is not None else "",
        "subfolders": subfolders,
        "cards": issue_cards(list(contents.comics.items)),
        "pager": pager(contents.comics),
        "here": "/folder" + query(path=path),
    }
    return page("folder.html", request, context)


@get("/search", sync_to_thread=False, include_in_schema=False)
def search(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    q: Text = None,
    page_number: PageNumber = None,
) -> Template:
    text = (q or "").strip()
    context: dict[str, Any] = {"q": text, "groups": [], "cards": [], "pager": None}
    if text:
        found = browse.series(current_user, mode="metadata", query=text, page=PageRequest(1, 24))
        facets = [i for i in found.page.items if isinstance(i, Facet)]
        comics = browse.search(current_user, text, _request(page_number))
        context |= {
            "groups": facet_groups(facets, "issues", "metadata"),
            "cards": issue_cards(list(comics.items)),
            "pager": pager(comics),
            "here": "/search" + query(q=text),
        }
    return page("search.html", request, context)


PAGE_HANDLERS = (home, publishers, series, issues, folder, search)
