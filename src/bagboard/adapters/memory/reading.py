"""``MemoryReadingStates``: positions and read marks held in dictionaries.

One object serves both ports over the same rows, as the SQL adapters share their tables, so
what the progress API writes shows in list enrichment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count

from bagboard.adapters.memory.browse import comic_row
from bagboard.domain.browse import ComicRow, ReadingState
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import (
    ComicKey,
    Device,
    ProgressChange,
    ReadingProgress,
    apply_change,
    clear,
    next_change_time,
)
from bagboard.domain.progress_feed import ChangeKind, FeedCursor, FeedItem, Source
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.reading_states import ReadingStates


@dataclass(slots=True)
class _Row:
    """A row of either kind; ``path`` is the one it was last written under, as in SQL."""

    id: int
    user_id: int
    comic_id: int | None
    path: str
    updated_at: datetime
    deleted: bool = False
    page_number: int = 0
    total_pages: int | None = None
    time_spent: int = 0
    client_updated_at: int | None = None
    page_count: int | None = None
    device: Device | None = None
    # Written for a path whose comic the user may not see: not that comic's row.
    not_for: int | None = None


class MemoryReadingStates(ReadingStates, ProgressStore):
    """Rows are found by comic id while the comic is indexed, so a moved comic keeps them.

    With ``index``, a comic the index no longer holds leaves its rows keyed by path (as the
    SQL rows lose their comic id), and writing by id for one raises ``ComicNotFound``. Without
    one, every id is taken as an indexed comic.

    The SQL index links rows kept by path to a comic when it arrives at their path
    (``storage/reading_links.py``); this adapter cannot see arrivals, so every access first
    links such rows to whatever comic is at their path now. The two differ only for a row
    whose comic moved away, another took its old path, and then its own comic was removed:
    SQL leaves that row alone, this links it.
    """

    def __init__(self, index: LibraryIndex | None = None) -> None:
        self._index = index
        self._rows: dict[Source, dict[int, _Row]] = {Source.POSITION: {}, Source.MARK: {}}
        self._ids = count(1)
        self._lock = threading.Lock()

    # --- ReadingStates ---------------------------------------------------------------------

    def states(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
        wanted = set(comic_ids)
        pages: dict[int, int] = {}
        read: set[int] = set()
        with self._lock:
            self._link_arrivals()
            for source, rows in self._rows.items():
                for row in self._mine(rows, user_id):
                    if row.deleted or row.comic_id not in wanted or not self._linked(row):
                        continue
                    if source is Source.MARK:
                        read.add(row.comic_id)
                    else:
                        pages[row.comic_id] = row.page_number
        return {
            comic_id: ReadingState(last_page=pages.get(comic_id), is_read=comic_id in read)
            for comic_id in pages.keys() | read
        }

    def save_page(self, user_id: int, comic_id: int, page_number: int, at: datetime) -> None:
        with self._lock:
            self._link_arrivals()
            row = self._row(Source.POSITION, user_id, self._key(comic_id), at)
            row.page_number, row.updated_at, row.deleted = page_number, at, False

    def mark_read(self, user_id: int, comic_id: int, at: datetime) -> None:
        with self._lock:
            self._link_arrivals()
            row = self._row(Source.MARK, user_id, self._key(comic_id), at)
            row.updated_at, row.deleted = at, False

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

    # --- ProgressStore ---------------------------------------------------------------------

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        with self._lock:
            self._link_arrivals()
            row = self._find(Source.POSITION, user_id, key)
            return None if row is None else self._progress(row, key)

    def positions(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingProgress]:
        found: dict[int, ReadingProgress] = {}
        wanted = set(comic_ids)
        held = None if self._index is None else self._index.comics(list(wanted))
        with self._lock:
            self._link_arrivals()
            for comic_id in wanted:
                comic = None if held is None else held.get(comic_id)
                if held is not None and comic is None:
                    continue
                key = ComicKey(str(comic_id) if comic is None else comic.path, comic_id)
                row = self._find(Source.POSITION, user_id, key)
                if row is not None and not row.deleted:
                    found[comic_id] = self._progress(row, key)
        return found

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        with self._lock:
            self._link_arrivals()
            at = self._next_time(user_id, now)
            found = self._find(Source.POSITION, user_id, key)
            current = None if found is None else self._progress(found, key)
            saved = apply_change(current, change, key.path, at)
            if saved is current:
                return saved  # a forward-only change behind the stored position
            row = self._row(Source.POSITION, user_id, key, at)
            row.page_number, row.total_pages = saved.page_number, saved.total_pages
            row.time_spent, row.updated_at = saved.time_spent, saved.updated_at
            row.client_updated_at, row.deleted = saved.client_updated_at, False
            row.device = saved.device
        return saved

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
    ) -> None:
        with self._lock:
            self._link_arrivals()
            found = self._find(Source.MARK, user_id, key)
            if not read:
                if found is not None and not found.deleted:
                    self._require(key)
                    found.deleted, found.updated_at = True, self._next_time(user_id, now)
                    self._relink(Source.MARK, found, key)
                return
            at = self._next_time(user_id, now)
            live = found is not None and not found.deleted
            row = self._row(Source.MARK, user_id, key, at)
            if page_count is not None or not live:
                row.page_count = page_count
            if time_spent is not None or not live:
                row.time_spent = time_spent or 0
            row.updated_at, row.deleted = at, False

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        with self._lock:
            self._link_arrivals()
            found = sorted(
                (item.cursor, item) for item in self._items(user_id) if item.cursor > after
            )
        items = [item for _, item in found[page.offset : page.offset + page.limit]]
        return Page(items, len(found), page)

    # --- rows ------------------------------------------------------------------------------

    def _items(self, user_id: int) -> Iterator[FeedItem]:
        for source, rows in self._rows.items():
            for row in self._mine(rows, user_id):
                cursor = FeedCursor(row.updated_at, source, row.id)
                path = self._current_path(row)
                if source is Source.MARK:
                    if row.deleted:
                        yield FeedItem(ChangeKind.UNREAD, path, cursor)
                    else:
                        yield FeedItem(
                            ChangeKind.READ,
                            path,
                            cursor,
                            time_spent=row.time_spent,
                            page_count=row.page_count,
                        )
                elif row.deleted:
                    yield FeedItem(ChangeKind.CLEARED, path, cursor)
                else:
                    yield FeedItem(
                        ChangeKind.POSITION,
                        path,
                        cursor,
                        page_number=row.page_number,
                        total_pages=row.total_pages,
                        time_spent=row.time_spent,
                    )

    def _link_arrivals(self) -> None:
        if self._index is None:
            return
        for rows in self._rows.values():
            for row in rows.values():
                if self._linked(row):
                    continue
                comic = self._index.comic_at(row.path)
                if comic is None or comic.id == row.not_for:
                    continue
                mine = self._mine(rows, row.user_id)
                if not any(other.comic_id == comic.id and self._linked(other) for other in mine):
                    row.comic_id, row.not_for = comic.id, None

    @staticmethod
    def _mine(rows: dict[int, _Row], user_id: int) -> Iterator[_Row]:
        return (row for row in rows.values() if row.user_id == user_id)

    def _find(self, source: Source, user_id: int, key: ComicKey) -> _Row | None:
        rows = list(self._mine(self._rows[source], user_id))
        if key.comic_id is not None:
            for row in rows:
                if row.comic_id == key.comic_id and self._linked(row):
                    return row
        for row in rows:
            if row.path == key.path and not self._linked(row):
                return row
        return None

    def _row(self, source: Source, user_id: int, key: ComicKey, at: datetime) -> _Row:
        """The key's row, linked to its comic and path, made when there is none."""
        self._require(key)
        row = self._find(source, user_id, key)
        if row is None:
            row = _Row(next(self._ids), user_id, key.comic_id, key.path, at)
            if key.comic_id is None and self._index is not None:
                hidden = self._index.comic_at(key.path)
                row.not_for = None if hidden is None else hidden.id
            self._rows[source][row.id] = row
        self._relink(source, row, key)
        return row

    def _require(self, key: ComicKey) -> None:
        # As the SQL foreign key does for a comic removed since the caller looked it up.
        if key.comic_id is not None and not self._indexed(key.comic_id):
            raise ComicNotFound("that comic is not in the library")

    def _relink(self, source: Source, row: _Row, key: ComicKey) -> None:
        rows = self._rows[source]
        if key.comic_id is not None:
            # An orphan still at the comic's path is superseded by the comic's own row.
            for other in [r for r in self._mine(rows, row.user_id) if r is not row]:
                if other.path == key.path and not self._linked(other):
                    del rows[other.id]
            row.comic_id = key.comic_id
        row.path = key.path

    def _next_time(self, user_id: int, now: datetime) -> datetime:
        times = [
            row.updated_at for rows in self._rows.values() for row in self._mine(rows, user_id)
        ]
        return next_change_time(now, max(times, default=None))

    def _key(self, comic_id: int) -> ComicKey:
        comic = None if self._index is None else self._index.comic(comic_id)
        if self._index is not None and comic is None:
            raise ComicNotFound("that comic is not in the library")
        return ComicKey(str(comic_id) if comic is None else comic.path, comic_id)

    def _progress(self, row: _Row, key: ComicKey) -> ReadingProgress:
        return ReadingProgress(
            path=self._current_path(row) if self._linked(row) else key.path,
            page_number=row.page_number,
            total_pages=row.total_pages,
            time_spent=row.time_spent,
            updated_at=row.updated_at,
            client_updated_at=row.client_updated_at,
            cleared=row.deleted,
            device=row.device,
        )

    def _current_path(self, row: _Row) -> str:
        if row.comic_id is not None and self._index is not None:
            comic = self._index.comic(row.comic_id)
            if comic is not None:
                return comic.path
        return row.path

    def _linked(self, row: _Row) -> bool:
        return row.comic_id is not None and self._indexed(row.comic_id)

    def _indexed(self, comic_id: int) -> bool:
        return self._index is None or self._index.comic(comic_id) is not None
