"""``MemoryProgressStore``: positions and read marks held in dictionaries (``reading_rows``),
the memory twin of the SQL store, run through the same contract suite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bagboard.adapters.memory.browse import comic_row
from bagboard.adapters.memory.reading_rows import ReadingRows
from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import (
    ComicKey,
    ComicReading,
    ProgressChange,
    ReadingProgress,
    apply_change,
    clear,
)
from bagboard.domain.progress_feed import FeedCursor, FeedItem, Source
from bagboard.ports.progress_store import ProgressStore

__all__ = ["MemoryProgressStore"]


class MemoryProgressStore(ReadingRows, ProgressStore):
    """Rows are found by comic id while the comic is indexed, so a moved comic keeps them
    (see ``ReadingRows``)."""

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        with self._lock:
            self._link_arrivals()
            row = self._find(Source.POSITION, user_id, key)
            return None if row is None else self._progress(row, key)

    def readings(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ComicReading]:
        wanted = set(comic_ids)
        held = None if self._index is None else self._index.comics(list(wanted))
        positions: dict[int, ReadingProgress] = {}
        with self._lock:
            self._link_arrivals()
            read = {
                row.comic_id
                for row in self._mine(self._rows[Source.MARK], user_id)
                if not row.deleted and row.comic_id in wanted and self._linked(row)
            }
            for comic_id in wanted:
                comic = None if held is None else held.get(comic_id)
                if held is not None and comic is None:
                    continue
                key = ComicKey(str(comic_id) if comic is None else comic.path, comic_id)
                row = self._find(Source.POSITION, user_id, key)
                if row is not None and not row.deleted:
                    positions[comic_id] = self._progress(row, key)
        return {
            comic_id: ComicReading(comic_id in read, positions.get(comic_id))
            for comic_id in positions.keys() | read
        }

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        with self._lock:
            self._link_arrivals()
            return self._save(user_id, key, change, self._next_time(user_id, now))

    def writes_at_once(self) -> bool:
        return True  # in memory: nothing to wait for

    def save_at_once(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress | None:
        return self.save(user_id, key, change, now)

    def clear(self, user_id: int, key: ComicKey, now: datetime) -> bool:
        with self._lock:
            self._link_arrivals()
            row = self._find(Source.POSITION, user_id, key)
            if row is None or row.deleted:
                return False
            self._require(key)
            tombstone = clear(self._progress(row, key), self._next_time(user_id, now))
            row.deleted, row.updated_at = True, tombstone.updated_at
            row.client_updated_at, row.device = tombstone.client_updated_at, tombstone.device
            row.server_stamped = tombstone.server_stamped
            self._relink(Source.POSITION, row, key)
        return True

    def set_read(
        self,
        user_id: int,
        key: ComicKey,
        read: bool,
        now: datetime,
        *,
        page_count: int | None = None,
        time_spent: int | None = None,
        position: ProgressChange | None = None,
    ) -> ReadingProgress | None:
        with self._lock:
            self._link_arrivals()
            at = self._next_time(user_id, now)
            # Both writes check the key's comic alike (``_row``), so neither fails alone.
            saved = None if position is None else self._save(user_id, key, position, at)
            found = self._find(Source.MARK, user_id, key)
            if not read:
                if found is not None and not found.deleted:
                    self._require(key)
                    found.deleted, found.updated_at = True, at
                    self._relink(Source.MARK, found, key)
                return saved
            live = found is not None and not found.deleted
            row = self._row(Source.MARK, user_id, key, at)
            if page_count is not None or not live:
                row.page_count = page_count
            if time_spent is not None or not live:
                row.time_spent = time_spent or 0
            row.updated_at, row.deleted = at, False
        return saved

    def _save(
        self, user_id: int, key: ComicKey, change: ProgressChange, at: datetime
    ) -> ReadingProgress:
        """``save`` under ``_lock``, at server time ``at``."""
        found = self._find(Source.POSITION, user_id, key)
        current = None if found is None else self._progress(found, key)
        saved = apply_change(current, change, key.path, at)
        if saved is current:
            return saved  # a forward-only change behind the stored position
        row = self._row(Source.POSITION, user_id, key, at)
        row.page_number, row.total_pages = saved.page_number, saved.total_pages
        row.time_spent, row.updated_at = saved.time_spent, saved.updated_at
        row.client_updated_at, row.deleted = saved.client_updated_at, False
        row.device, row.server_stamped = saved.device, saved.server_stamped
        return saved

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        with self._lock:
            self._link_arrivals()
            found = sorted(
                (item.cursor, item) for item in self._items(user_id) if item.cursor > after
            )
        items = [item for _, item in found[page.offset : page.offset + page.limit]]
        return Page(items, len(found), page)

    def touched(self, user_id: int, library_ids: Sequence[int]) -> list[int]:
        if self._index is None:
            return []
        ids: set[int] = set()
        paths: set[str] = set()
        with self._lock:
            self._link_arrivals()
            for source in (Source.MARK, Source.POSITION):
                for row in self._mine(self._rows[source], user_id):
                    if row.deleted:
                        continue
                    if self._linked(row) and row.comic_id is not None:
                        ids.add(row.comic_id)
                    elif source is Source.POSITION and row.comic_id is None:
                        paths.add(row.path)
        for path in paths:
            comic = self._index.comic_at(path)
            if comic is not None:
                ids.add(comic.id)
        held = self._index.comics(sorted(ids))
        return sorted(c.id for c in held.values() if c.library_id in library_ids)

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        """Without an index there is no comic to list, so nothing is."""
        if self._index is None:
            return Page([], 0, page)
        with self._lock:
            self._link_arrivals()
            read = {
                row.comic_id
                for row in self._mine(self._rows[Source.MARK], user_id)
                if not row.deleted and self._linked(row)
            }
            started = {
                row.comic_id: row.updated_at
                for row in self._mine(self._rows[Source.POSITION], user_id)
                if row.comic_id is not None
                and not row.deleted
                and self._linked(row)
                and row.comic_id not in read
            }
        held = self._index.comics(list(started))
        visible = [comic for comic in held.values() if comic.library_id in library_ids]
        visible.sort(key=lambda comic: (started[comic.id], comic.id), reverse=True)
        rows = [comic_row(comic) for comic in visible[page.offset : page.offset + page.limit]]
        return Page(rows, len(visible), page)
