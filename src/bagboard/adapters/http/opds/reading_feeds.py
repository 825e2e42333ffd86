"""The catalog's feeds of reading orders: reading lists, story arcs and what is on deck.

Lists and arcs are navigation feeds whose entries open an acquisition feed of their comics
in reading order; on deck is an acquisition feed. Everything reads through
``ReadingOrderService``, the one service every protocol shows lists and arcs with, so a
reader sees exactly what ``/api/v1`` and Komga show: each comic once, only comics of the
libraries the user may see, and a list that is not the user's (nor shared) as no list at
all (``NotFound``: a 404, the same as a list that never existed).

The feeds are protocol-neutral ``feed.Feed``s, rendered by both OPDS versions like the rest of
``catalog.py``'s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Final

from bagboard.adapters.http.opds import navigation as nav
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.feed import ROOT, Feed, Kind, NavEntry, Paging, Target, urn
from bagboard.domain.errors import NotFound
from bagboard.domain.model import User
from bagboard.domain.pagination import Page
from bagboard.services.browse import BrowseService, IssueItem
from bagboard.services.reading_orders import (
    ARC_PREFIX,
    ComicList,
    ListKind,
    ReadingOrderService,
    parse_ref,
)

__all__ = ["ARCS_ROUTE", "LISTS_ROUTE", "ON_DECK_ROUTE", "ROUTES", "ReadingFeeds"]

# The route of each kind's navigation feed; one list's feed is ``<route>/<id>``.
LISTS_ROUTE: Final = "readlists"
ARCS_ROUTE: Final = "arcs"
ON_DECK_ROUTE: Final = "on-deck"
ROUTES: Final = {ListKind.READING_LIST: LISTS_ROUTE, ListKind.STORY_ARC: ARCS_ROUTE}
_TITLES: Final = {ListKind.READING_LIST: "Reading lists", ListKind.STORY_ARC: "Story arcs"}
_URNS: Final = {ListKind.READING_LIST: "readlist", ListKind.STORY_ARC: "arc"}


class ReadingFeeds:
    """The reading-order feeds of one user. Cheap to make, as ``Catalog``."""

    def __init__(
        self,
        orders: ReadingOrderService,
        browse: BrowseService,
        user: User,
        started: datetime,
        links: Links,
    ) -> None:
        self._orders = orders
        self._browse = browse
        self._user = user
        # Feeds without publications are dated by the server's start, as ``Catalog``'s.
        self._started = started
        self.links = links

    # --- navigation ----------------------------------------------------------------------

    def reading_lists(self, raw_page: str | None) -> Feed:
        """The user's own lists and the shared ones, by name (paged here: a user has few)."""
        request = nav.page_number(raw_page)
        every = self._orders.reading_lists(self._user)
        page = Page(every[request.offset : request.offset + request.limit], len(every), request)
        return self._lists(ListKind.READING_LIST, page)

    def story_arcs(self, raw_page: str | None) -> Feed:
        """The arcs with comics the user may see, by name."""
        page = self._orders.story_arcs(self._user, nav.page_number(raw_page))
        return self._lists(ListKind.STORY_ARC, page)

    # --- publications --------------------------------------------------------------------

    def reading_list(self, raw_id: str, raw_page: str | None) -> Feed:
        return self._comics(ListKind.READING_LIST, raw_id, raw_page)

    def story_arc(self, raw_id: str, raw_page: str | None) -> Feed:
        return self._comics(ListKind.STORY_ARC, raw_id, raw_page)

    def on_deck(self, raw_page: str | None) -> Feed:
        page = self._orders.on_deck(self._user, nav.page_number(raw_page))
        return self._acquisition("urn:bagboard:on-deck", "On deck", Target(ON_DECK_ROUTE), page)

    # --- helpers -------------------------------------------------------------------------

    def _lists(self, kind: ListKind, page: Page[ComicList]) -> Feed:
        entries = tuple(_entry(found) for found in page.items)
        return Feed(
            f"urn:bagboard:{ROUTES[kind]}",
            _TITLES[kind],
            Target(ROUTES[kind]),
            Kind.NAVIGATION,
            self._started,
            entries,
            paging=Paging(page.page, page.page_size, page.total),
            up=ROOT,
        )

    def _comics(self, kind: ListKind, raw_id: str, raw_page: str | None) -> Feed:
        list_id = _list_id(kind, raw_id)
        found = self._orders.get(self._user, kind, list_id)
        page = self._orders.issues(self._user, kind, list_id, nav.page_number(raw_page))
        feed = self._acquisition(
            urn(_URNS[kind], str(list_id)),
            found.name,
            _target(kind, list_id),
            page,
            up=Target(ROUTES[kind]),
        )
        if found.updated_at is not None and found.updated_at > feed.updated:
            # A list changed (reordered, renamed) after its comics: that is its news.
            return replace(feed, updated=found.updated_at)
        return feed

    def _acquisition(
        self,
        feed_id: str,
        title: str,
        target: Target,
        page: Page[IssueItem],
        *,
        up: Target = ROOT,
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


def _target(kind: ListKind, list_id: int) -> Target:
    return Target(f"{ROUTES[kind]}/{list_id}")


def _entry(found: ComicList) -> NavEntry:
    """A list as a link to its comics: its name, its summary and how many comics it shows
    this user (what its feed counts), and its first comic's cover."""
    count = nav.count_text(found.comics, "comic")
    return NavEntry(
        urn(_URNS[found.kind], str(found.id)),
        found.name,
        _target(found.kind, found.id),
        Kind.ACQUISITION,
        summary=f"{found.summary} ({count})" if found.summary else count,
        count=found.comics,
        cover_id=found.cover_comic_id,
    )


def _list_id(kind: ListKind, raw: str) -> int:
    """The id in a list's (arc's) address; anything else names no list of that kind."""
    parsed = parse_ref(raw if kind is ListKind.READING_LIST else f"{ARC_PREFIX}{raw}")
    if parsed is None or parsed[0] is not kind:
        raise NotFound(
            f"no such {'reading list' if kind is ListKind.READING_LIST else 'story arc'}"
        )
    return parsed[1]
