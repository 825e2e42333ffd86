"""Catalog entries: listed comics with their full index rows, for catalogs (OPDS) whose
entries show more than a list row does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.progress import NOT_READ
from bagboard.ports.change_feed import Change
from bagboard.ports.clock import Clock
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.issues import IssueDetail, issue_detail
from bagboard.services.listings import IssueItem
from bagboard.services.recent_cache import Freshness, RecentCache
from bagboard.services.shelves import ShelfView

__all__ = ["CatalogEntries"]

# Catalog pages whose comics are remembered (see ``freshness``).
_PAGES_KEPT = 256


class CatalogEntries:
    def __init__(
        self, index: LibraryIndex, clock: Clock, freshness: Freshness | None = None
    ) -> None:
        self._index = index
        # A catalog page is asked for again and again (a reader going back, several readers
        # on one series): the index rows of its comics are remembered until the index
        # changes, as ``IssueService`` remembers a comic's (``freshness``; None: read each time).
        self._pages: RecentCache[tuple[int, ...], Mapping[int, IndexedComic]] | None = (
            None
            if freshness is None
            else RecentCache(clock, freshness, Change.INDEX, max_entries=_PAGES_KEPT)
        )

    def details(self, items: Sequence[IssueItem | ShelfView]) -> list[IssueDetail]:
        """The index rows of listed comics (folder entries skipped) in one read, each with
        the reading it was listed with, in the order given; a comic gone since is left out.
        The items were scoped when listed, so nothing is checked again."""
        wanted = [
            (item.comic.id, item.reading)
            if isinstance(item, IssueItem)
            else (item.entry.comic_id, item.reading)
            for item in items
        ]
        found = self._comics([comic_id for comic_id, _ in wanted if comic_id is not None])
        return [
            issue_detail(found[comic_id], None if reading is NOT_READ else reading)
            for comic_id, reading in wanted
            if comic_id is not None and comic_id in found
        ]

    def _comics(self, ids: list[int]) -> Mapping[int, IndexedComic]:
        if self._pages is None:
            return self._index.comics(ids)
        return self._pages.get(tuple(ids), lambda: self._index.comics(ids))
