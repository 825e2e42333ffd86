"""The catalog both OPDS versions serve: which feeds exist, what each holds, how they link.

Every list reads through the same services as ``/api/v1``, so library scoping applies; every
feed is a protocol-neutral ``feed.Feed`` that ``v1/atom.py`` and ``v2/documents.py`` render.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bagboard.adapters.http.encoded import ByIdentity
from bagboard.adapters.http.opds import navigation as nav
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.feed import (
    GROUP_SIZE,
    PAGE_SIZE,
    ROOT,
    Feed,
    Group,
    Kind,
    NavEntry,
    Paging,
    Target,
    urn,
)
from bagboard.adapters.http.opds.folder_feed import folder_feed
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import BrowseMode, User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfKind
from bagboard.services.browse import BrowseService, IssueItem
from bagboard.services.shelves import ShelfService

__all__ = ["Catalog"]


class Catalog:
    """The feeds of one user. Cheap to make; every method reads the index once or a few times."""

    def __init__(
        self,
        browse: BrowseService,
        shelves: ShelfService,
        user: User,
        started: datetime,
        links: Links,
    ) -> None:
        self._browse = browse
        self._shelves = shelves
        self._user = user
        # Where this request's documents point: handed over with the catalog, so that a feed
        # route resolves one dependency chain (user, browse, catalog) and no batch of two.
        self.links = links
        # Feeds without publications have nothing of their own to date them by: they carry the
        # time the server started, so that the same feed is the same document (and ETag).
        self._started = started

    # --- navigation ----------------------------------------------------------------------

    def root(self) -> Feed:
        entries = tuple(
            NavEntry(f"urn:bagboard:{name}", title, Target(route), kind, rel, summary)
            for name, title, route, kind, rel, summary in nav.START
        )
        return Feed(
            "urn:bagboard:catalog", "bagboard", ROOT, Kind.NAVIGATION, self._started, entries
        )

    def groups(self) -> tuple[Group, ...]:
        """The OPDS 2 start page's rows: what the user is reading, and what is new."""
        first = PageRequest(1, GROUP_SIZE)
        reading = self._browse.details(self._browse.keep_reading(self._user, first).items)
        recent = self._browse.details(self._browse.recent(self._user, first).items)
        return (
            Group("Keep reading", Target("keep-reading"), tuple(reading)),
            Group("Recently added", Target("recent"), tuple(recent)),
        )

    def publishers(self, raw_page: str | None) -> Feed:
        target = Target("publishers")
        listing = self._browse.publishers(
            self._user, mode=BrowseMode.METADATA.value, page=nav.page_number(raw_page)
        )
        facets = nav.facets(listing.page)
        entries = tuple(
            NavEntry(
                urn("publisher", facet.key),
                facet.name,
                Target("series", (("publisher", facet.name),)),
                Kind.NAVIGATION,
                summary=nav.count_text(facet.count, "comic"),
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
            page=nav.page_number(raw_page),
        )
        facets = nav.facets(listing.page)
        entries = tuple(
            NavEntry(
                urn("series", facet.publisher.casefold(), facet.key),
                facet.name,
                Target(
                    "issues",
                    (("series", facet.name),) + ((("publisher", publisher),) if publisher else ()),
                ),
                Kind.ACQUISITION,
                summary=nav.count_text(facet.count, "issue"),
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
        shelf = self._shelves.shelf(self._user, Shelf.FAVORITES, nav.page_number(raw_page))
        entries = tuple(nav.folder_entry(view.entry.path, view.name) for view in shelf.items)
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
            page=nav.page_number(raw_page),
        )
        up = Target("series", (("publisher", publisher),) if publisher else ())
        feed_id = urn("series", (publisher or "").casefold(), series.casefold())
        return self._acquisition(feed_id, series, Target("issues", query), listing.page, up=up)

    def recent(self, raw_page: str | None) -> Feed:
        page = self._browse.recent(self._user, nav.page_number(raw_page))
        return self._acquisition("urn:bagboard:recent", "Recently added", Target("recent"), page)

    def keep_reading(self, raw_page: str | None) -> Feed:
        page = self._browse.keep_reading(self._user, nav.page_number(raw_page))
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
        page = self._browse.search(self._user, text, nav.page_number(raw_page))
        return self._acquisition(urn("search", text), f"Search: {text}", target, page)

    def to_read(self, raw_page: str | None) -> Feed:
        """Files on the list are publications; folders on it lead to their folder feed."""
        target = Target("to-read")
        shelf = self._shelves.shelf(self._user, Shelf.TO_READ, nav.page_number(raw_page))
        folders = tuple(
            nav.folder_entry(view.entry.path, view.name)
            for view in shelf.items
            if view.entry.kind is ShelfKind.FOLDER
        )
        details = self._browse.details(
            [view for view in shelf.items if view.entry.kind is ShelfKind.FILE]
        )
        return Feed(
            "urn:bagboard:to-read",
            "To read",
            target,
            Kind.ACQUISITION,
            nav.latest(details, self._started),
            folders,
            tuple(details),
            Paging(shelf.page, shelf.page_size, shelf.total),
            ROOT,
        )

    def folder(self, path: str | None, raw_page: str | None) -> Feed:
        """A folder as on disk (``folder_feed.folder_feed``)."""
        return folder_feed(self._browse, self._user, self._started, path, raw_page)

    # --- helpers -------------------------------------------------------------------------

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
        # A page the services kept comes back as the same object: so does its feed, which the
        # versions then render once (``adapters/http/encoded.py``).
        key = (feed_id, title, target, up, self._started)
        return _FEEDS.get(page, key, lambda: self._publications(feed_id, title, target, page, up))

    def _publications(
        self, feed_id: str, title: str, target: Target, page: Page[IssueItem], up: Target
    ) -> Feed:
        details = self._browse.details(page.items)
        return Feed(
            feed_id,
            title,
            target,
            Kind.ACQUISITION,
            nav.latest(details, self._started),
            publications=tuple(details),
            paging=Paging(page.page, page.page_size, page.total),
            up=up,
        )


_FEEDS: ByIdentity[Feed] = ByIdentity()
