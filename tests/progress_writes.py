"""Writes of positions and read marks by comic id, for tests that set up a user's reading:
through ``ProgressStore`` itself, so under the user's lock and change clock as any write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bagboard.domain.browse import ReadingState
from bagboard.domain.progress import ComicKey, ProgressChange, ReadingProgress
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore

__all__ = ["key_of", "mark_read", "positions", "save_page", "states"]


def key_of(index: LibraryIndex, comic_id: int) -> ComicKey:
    comic = index.comic(comic_id)
    # A comic the index does not hold keeps its id: the store refuses it (``ComicNotFound``).
    return ComicKey(f"/not/indexed/{comic_id}.cbz" if comic is None else comic.path, comic_id)


def save_page(
    store: ProgressStore, index: LibraryIndex, user_id: int, comic_id: int, page: int, at: datetime
) -> None:
    store.save(user_id, key_of(index, comic_id), ProgressChange(page_number=page), at)


def mark_read(
    store: ProgressStore, index: LibraryIndex, user_id: int, comic_id: int, at: datetime
) -> None:
    store.set_read(user_id, key_of(index, comic_id), True, at)


def states(store: ProgressStore, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
    """What a list shows of each comic: its position's page and its read mark."""
    return {
        comic_id: ReadingState(reading.last_page, reading.is_read)
        for comic_id, reading in store.readings(user_id, comic_ids).items()
    }


def positions(
    store: ProgressStore, user_id: int, comic_ids: Sequence[int]
) -> dict[int, ReadingProgress]:
    """The live positions among the comics' readings."""
    return {
        comic_id: reading.position
        for comic_id, reading in store.readings(user_id, comic_ids).items()
        if reading.position is not None
    }
