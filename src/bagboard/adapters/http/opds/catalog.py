"""The catalog both OPDS versions serve: which feeds exist, what each holds, how they link.

Every list reads through the same services as ``/api/v1``, so library scoping applies; every
feed is a protocol-neutral ``feed.Feed`` that ``atom.py`` and ``opds2.py`` render.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from bagboard.adapters.http.opds.entries import entry_updated
from bagboard.adapters.http.opds.feed import (
    GROUP_SIZE,
    PAGE_SIZE,
    REL_NEW,
    REL_SHELF,
    REL_SUBSECTION,
    ROOT,
    Feed,
    Group,
    Kind,
    NavEntry,
    Paging,
    Target,
    urn,
)
from bagboard.domain.browse import Facet
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import BrowseMode, User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfKind
from bagboard.services.browse import BrowseService, IssueItem
from bagboard.services.issues import IssueDetail, IssueService


def page_number(raw: str | None) -> PageRequest:
    """``?page=`` as a feed page of ``PAGE_SIZE`` (anything odd is the first page)."""
    return PageRequest.from_raw(raw, PAGE_SIZE)


# The start feed: (id, title, route, kind of the feed it leads to, rel, summary).
_START: Final = (
    ("publishers", "Publishers", "publishers", Kind.NAVIGATION, REL_SUBSECTION,
     "Browse by publisher, then series"),
    ("series", "All series", "series", Kind.NAVIGATION, REL_SUBSECTION, "Every series, by name"),
    ("recent", "Recently added", "recent", Kind.ACQUISITION, REL_NEW,
     "Comics added in the last 30 days, newest first"),
    ("keep-reading", "Keep reading", "keep-reading", Kind.ACQUISITION, REL_SUBSECTION,
     "Comics you have started"),
    ("to-read", "To read", "to-read", Kind.ACQUISITION, REL_SHELF, "Your want-to-read list"),
    ("favorites", "Favorites", "favorites", Kind.NAVIGATION, REL_SUBSECTION,
     "Your favourite folders"),
    ("folders", "Folders", "folder", Kind.ACQUISITION, REL_SUBSECTION,
     "Browse the library folders as they are on disk"),
)  # fmt: skip


class Catalog:
    """The feeds of one user. Cheap to make; every method reads the index once or a few times."""

    def __init__(
        self, browse: BrowseService, issues: IssueService, user: User, started: datetime
    ) -> None:
        self._browse = browse
        self._issues = issues
        self._user = user
        # Feeds without publications have nothing of their own to date them by: they carry the
        # time the server started, so that the same feed is the same document (and ETag).
        self._started = started

    # --- navigation ----------------------------------------------------------------------

    def root(self) -> Feed:
        entries = tuple(
            NavEntry(f"urn:bagboard:{name}", title, Target(route), kind, rel, summary)
            for name, title, route, kind, rel, summary in _START
        )
        return Feed(
            "urn:bagboard:catalog", "bagboard", ROOT, Kind.NAVIGATION, self._started, entries
        )

    def groups(self) -> tuple[Group, ...]:
        """The OPDS 2 start page's rows: what the user is reading, and what is new."""
        first = PageRequest(1, GROUP_SIZE)
        reading = self._details(self._browse.keep_reading(self._user, first).items)
        recent = self._details(self._browse.recent(self._user, first).items)
        return (
            Group("Keep reading", Target("keep-reading"), tuple(reading)),
            Group("Recently added", Target("recent"), tuple(recent)),
        )

    def publishers(self, raw_page: str | None) -> Feed:
        target = Target("publishers")
        listing = self._browse.publishers(
            self._user, mode=BrowseMode.METADATA.value, page=page_number(raw_page)
        )
        facets = _facets(listing.page)
        entries = tuple(
            NavEntry(
                urn("publisher", facet.key),
                facet.name,
                Target("series", (("publisher", facet.name),)),
                Kind.NAVIGATION,
                summary=_count_text(facet.count, "comic"),
                count=facet.count,
            )
            for facet in facets.items
        )
        return self._navigation("urn:bagboard:publishers", "Publishers", target, facets, entries)

    def series(self, publisher: str | None, raw_page: str | None) -> Feed:
        publisher = (publisher or "").strip() or None
        query = (("publisher", publisher),) if publisher else ()
        target = Target("series", query)
        listing = self._browse.series(
            self._user,
            mode=BrowseMode.METADATA.value,
            publisher=publisher,
            page=page_number(raw_page),
        )
        facets = _facets(listing.page)
        entries = tuple(
            NavEntry(
                urn("series", facet.publisher.casefold(), facet.key),
                facet.name,
                Target(
                    "issues",
                    (("series", facet.name),) + ((("publisher", publisher),) if publisher else ()),
                ),
                Kind.ACQUISITION,
                summary=_count_text(facet.count, "issue"),
                count=facet.count,
            )
            for facet in facets.items
        )
        title = publisher or "All series"
        feed_id = urn("publisher", publisher.casefold()) if publisher else "urn:bagboard:series"
        up = Target("publishers") if publisher else ROOT
        return self._navigation(feed_id, title, target, facets, entries, up=up)

    def favorites(self, raw_page: str | None) -> Feed:
        target = Target("favorites")
        shelf = self._browse.shelf(self._user, Shelf.FAVORITES, page_number(raw_page))
        entries = tuple(_folder_entry(view.entry.path, view.name) for view in shelf.items)
        return self._navigation("urn:bagboard:favorites", "Favorites", target, shelf, entries)

    # --- publications ------------------------------------------------------------------------

    def issues(self, series: str | None, publisher: str | None, raw_page: str | None) -> Feed:
        series = (series or "").strip()
        if not series:
            raise InvalidInput("series is required")
        publisher = (publisher or "").strip() or None
        query = (("series", series),) + ((("publisher", publisher),) if publisher else ())
        listing = self._browse.issues(
            self._user,
            mode=BrowseMode.METADATA.value,
            series=series,
            publisher=publisher,
            page=page_number(raw_page),
        )
        up = Target("series", (("publisher", publisher),) if publisher else ())
        feed_id = urn("series", (publisher or "").casefold(), series.casefold())
        return self._acquisition(feed_id, series, Target("issues", query), listing.page, up=up)

    def recent(self, raw_page: str | None) -> Feed:
        page = self._browse.recent(self._user, page_number(raw_page))
        return self._acquisition("urn:bagboard:recent", "Recently added", Target("recent"), page)

    def keep_reading(self, raw_page: str | None) -> Feed:
        page = self._browse.keep_reading(self._user, page_number(raw_page))
        return self._acquisition(
            "urn:bagboard:keep-reading", "Keep reading", Target("keep-reading"), page
        )

    def search(self, query: str | None, raw_page: str | None) -> Feed:
        text = (query or "").strip()
        target = Target("search", (("q", text),))
        if not text:
            # A reader may open the search with nothing typed: an empty result, not an error.
            return Feed(
                "urn:bagboard:search",
                "Search",
                target,
                Kind.ACQUISITION,
                self._started,
                paging=Paging(1, PAGE_SIZE, 0),
                up=ROOT,
            )
        page = self._browse.search(self._user, text, page_number(raw_page))
        return self._acquisition(urn("search", text), f"Search: {text}", target, page)

    def to_read(self, raw_page: str | None) -> Feed:
        """Files on the list are publications; folders on it lead to their folder feed."""
        target = Target("to-read")
        shelf = self._browse.shelf(self._user, Shelf.TO_READ, page_number(raw_page))
        folders = tuple(
            _folder_entry(view.entry.path, view.name)
            for view in shelf.items
            if view.entry.kind is ShelfKind.FOLDER
        )
        ids = [
            view.entry.comic_id
            for view in shelf.items
            if view.entry.kind is ShelfKind.FILE and view.entry.comic_id is not None
        ]
        details = self._issues.details(self._user, ids)
        return Feed(
            "urn:bagboard:to-read",
            "To read",
            target,
            Kind.ACQUISITION,
            _latest(details, self._started),
            folders,
            tuple(details),
            Paging(shelf.page, shelf.page_size, shelf.total),
            ROOT,
        )

    def folder(self, path: str | None, raw_page: str | None) -> Feed:
        """A folder as on disk: its subfolders (on the first page), then a page of the comics
        directly in it."""
        path = (path or "").strip() or None
        contents = self._browse.folder(self._user, path, page_number(raw_page))
        first = contents.comics.page == 1
        folders = (
            tuple(
                _folder_entry(item.folder.path, item.folder.name, item.folder.comic_count)
                for item in contents.folders
            )
            if first
            else ()
        )
        details = self._issues.details(self._user, [i.comic.id for i in contents.comics.items])
        here = contents.folder
        title = here.name if here is not None else "Folders"
        up = (
            ROOT
            if here is None
            else Target("folder", (("path", _parent(here.path)),) if here.depth > 1 else ())
        )
        page = contents.comics
        return Feed(
            urn("folder", here.path) if here is not None else "urn:bagboard:folders",
            title,
            Target("folder", (("path", here.path),) if here is not None else ()),
            Kind.ACQUISITION,
            _latest(details, self._started),
            folders,
            tuple(details),
            Paging(page.page, page.page_size, page.total),
            up,
        )

    # --- helpers -------------------------------------------------------------------------

    def _details(self, items: Sequence[IssueItem]) -> list[IssueDetail]:
        return self._issues.details(self._user, [item.comic.id for item in items])

    def _navigation(
        self,
        feed_id: str,
        title: str,
        target: Target,
        page: Page[Any],
        entries: tuple[NavEntry, ...],
        *,
        up: Target = ROOT,
    ) -> Feed:
        return Feed(
            feed_id,
            title,
            target,
            Kind.NAVIGATION,
            self._started,
            entries,
            paging=Paging(page.page, page.page_size, page.total),
            up=up,
        )

    def _acquisition(
        self, feed_id: str, title: str, target: Target, page: Page[IssueItem], *, up: Target = ROOT
    ) -> Feed:
        details = self._details(page.items)
        return Feed(
            feed_id,
            title,
            target,
            Kind.ACQUISITION,
            _latest(details, self._started),
            publications=tuple(details),
            paging=Paging(page.page, page.page_size, page.total),
            up=up,
        )


def _facets(page: Page[Any]) -> Page[Facet]:
    # Listings asked for in metadata mode hold facets; anything else is a programming slip.
    items = [item for item in page.items if isinstance(item, Facet)]
    return Page(items, page.total, page.request)


def _folder_entry(path: str, name: str, count: int | None = None) -> NavEntry:
    """A link to the folder feed of ``path``; with its comic count when known (shelf entries
    do not carry one)."""
    return NavEntry(
        urn("folder", path),
        name,
        Target("folder", (("path", path),)),
        Kind.ACQUISITION,
        summary="" if count is None else _count_text(count, "comic"),
        count=count,
    )


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def _count_text(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _latest(details: Sequence[IssueDetail], default: datetime) -> datetime:
    return max((entry_updated(detail) for detail in details), default=default)
