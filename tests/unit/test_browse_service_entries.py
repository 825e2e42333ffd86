"""Catalog entries: the index rows of a listed page in one read, remembered until the index
changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

from bagboard.adapters.memory.changes import MemoryChangeFeed
from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import ComicRow, ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.progress import NOT_READ, ComicReading, ReadingProgress
from bagboard.domain.shelves import ShelfEntry, ShelfKind
from bagboard.ports.change_feed import Change
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.entries import CatalogEntries
from bagboard.services.issues import IssueDetail
from bagboard.services.listings import IssueItem
from bagboard.services.recent_cache import Freshness
from bagboard.services.shelves import ShelfView

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def comic(comic_id: int) -> IndexedComic:
    return IndexedComic(comic_id, 1, f"/lib/{comic_id}.cbz", 10, 0, ArchiveFormat.ZIP, T0, 3, None)


class CountingIndex:
    def __init__(self, *ids: int) -> None:
        self.held = {comic_id: comic(comic_id) for comic_id in ids}
        self.reads: list[list[int]] = []

    def comics(self, comic_ids: Sequence[int]) -> Mapping[int, IndexedComic]:
        self.reads.append(list(comic_ids))
        return {i: self.held[i] for i in comic_ids if i in self.held}


def item(comic_id: int, reading: ComicReading = NOT_READ) -> IssueItem:
    row = ComicRow(comic_id, 1, f"/lib/{comic_id}.cbz", f"{comic_id}.cbz", 10, False, 3, T0)
    return IssueItem(row, reading)


def entries(index: CountingIndex, freshness: Freshness | None = None) -> CatalogEntries:
    return CatalogEntries(cast("LibraryIndex", index), ManualClock(T0), freshness)


def test_a_page_is_read_once_in_its_order_with_the_reading_it_was_listed_with() -> None:
    index = CountingIndex(1, 2, 3)
    position = ReadingProgress("/lib/2.cbz", 5, 10, 0, T0)
    found = entries(index).details(
        [item(3), item(2, ComicReading(True, position)), item(9), item(1)]
    )
    assert found == [
        IssueDetail(index.held[3], ReadingState(), None),
        IssueDetail(index.held[2], ReadingState(5, True), position),
        IssueDetail(index.held[1], ReadingState(), None),
    ]
    assert index.reads == [[3, 2, 9, 1]]


def test_shelf_files_are_entries_and_shelf_folders_are_not() -> None:
    index = CountingIndex(4)
    file = ShelfView(ShelfEntry(1, ShelfKind.FILE, "/lib/4.cbz", T0, 4), "4.cbz")
    folder = ShelfView(ShelfEntry(2, ShelfKind.FOLDER, "/lib/x", T0), "x")
    found = entries(index).details([folder, file])
    assert found == [IssueDetail(index.held[4], ReadingState(), None)]
    assert index.reads == [[4]]


def test_a_page_asked_for_again_is_not_read_again_until_the_index_changes() -> None:
    index = CountingIndex(1, 2)
    changes = MemoryChangeFeed(following=True)
    remembered = entries(index, Freshness(changes))
    page = [item(1), item(2)]
    first = remembered.details(page)
    index.held[1] = replace(index.held[1], size=99)
    assert remembered.details(page) == first
    assert remembered.details([item(2)])[0].comic == index.held[2]
    assert index.reads == [[1, 2], [2]]
    changes.noted(Change.INDEX)  # an index write, in any process
    assert remembered.details(page)[0].comic.size == 99
    assert index.reads == [[1, 2], [2], [1, 2]]
    # Without a feed every page is read.
    plain = entries(index)
    plain.details(page)
    plain.details(page)
    assert index.reads[-2:] == [[1, 2], [1, 2]]
