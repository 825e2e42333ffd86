"""The rows behind ``MemoryProgressStore``: positions and read marks held in dictionaries,
found by comic id while the comic is indexed and by path otherwise, as the SQL rows are."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import count

from bagboard.domain.errors import ComicNotFound
from bagboard.domain.progress import ComicKey, Device, ReadingProgress, next_change_time
from bagboard.domain.progress_feed import ChangeKind, FeedCursor, FeedItem, Source
from bagboard.ports.library_index import LibraryIndex

__all__ = ["ReadingRows", "Row"]


@dataclass(slots=True)
class Row:
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
    server_stamped: bool = False
    # Written for a path whose comic the user may not see: not that comic's row.
    not_for: int | None = None


class ReadingRows:
    """Both kinds of rows of every user and how a key finds them; callers hold ``_lock``.

    With ``index``, a comic the index no longer holds leaves its rows keyed by path (as the
    SQL rows lose their comic id), and writing by id for one raises ``ComicNotFound``. Without
    one, every id is taken as an indexed comic.

    The SQL index links rows kept by path to a comic when it arrives at their path
    (``storage/progress/links.py``); this cannot see arrivals, so every access first links
    such rows to whatever comic is at their path now. The two differ only for a row whose
    comic moved away, another took its old path, and then its own comic was removed: SQL
    leaves that row alone, this links it.
    """

    def __init__(self, index: LibraryIndex | None = None) -> None:
        self._index = index
        self._rows: dict[Source, dict[int, Row]] = {Source.POSITION: {}, Source.MARK: {}}
        self._ids = count(1)
        self._lock = threading.Lock()

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

    def forget_user(self, user_id: int) -> None:
        """A removed user's rows go with it (they cascade in SQL)."""
        with self._lock:
            for rows in self._rows.values():
                for row in list(self._mine(rows, user_id)):
                    del rows[row.id]

    def forget_library(self, library_id: int) -> None:
        """Before a library leaves the index: its comics' rows stay, keyed by each comic's
        current path unless another row of the user holds it (``storage/admin/forget.py``)."""
        if self._index is None:
            return
        with self._lock:
            for rows in self._rows.values():
                for row in rows.values():
                    comic = None if row.comic_id is None else self._index.comic(row.comic_id)
                    if comic is None or comic.library_id != library_id:
                        continue
                    mine = self._mine(rows, row.user_id)
                    if not any(o is not row and o.path == comic.path for o in mine):
                        row.path = comic.path
                    row.comic_id = None

    @staticmethod
    def _mine(rows: dict[int, Row], user_id: int) -> Iterator[Row]:
        return (row for row in rows.values() if row.user_id == user_id)

    def _find(self, source: Source, user_id: int, key: ComicKey) -> Row | None:
        rows = list(self._mine(self._rows[source], user_id))
        if key.comic_id is not None:
            for row in rows:
                if row.comic_id == key.comic_id and self._linked(row):
                    return row
        for row in rows:
            if row.path == key.path and not self._linked(row):
                return row
        return None

    def _row(self, source: Source, user_id: int, key: ComicKey, at: datetime) -> Row:
        """The key's row, linked to its comic and path, made when there is none."""
        self._require(key)
        row = self._find(source, user_id, key)
        if row is None:
            row = Row(next(self._ids), user_id, key.comic_id, key.path, at)
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

    def _relink(self, source: Source, row: Row, key: ComicKey) -> None:
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

    def _progress(self, row: Row, key: ComicKey) -> ReadingProgress:
        return ReadingProgress(
            path=self._current_path(row) if self._linked(row) else key.path,
            page_number=row.page_number,
            total_pages=row.total_pages,
            time_spent=row.time_spent,
            updated_at=row.updated_at,
            client_updated_at=row.client_updated_at,
            cleared=row.deleted,
            device=row.device,
            server_stamped=row.server_stamped,
        )

    def _current_path(self, row: Row) -> str:
        if row.comic_id is not None and self._index is not None:
            comic = self._index.comic(row.comic_id)
            if comic is not None:
                return comic.path
        return row.path

    def _linked(self, row: Row) -> bool:
        return row.comic_id is not None and self._indexed(row.comic_id)

    def _indexed(self, comic_id: int) -> bool:
        return self._index is None or self._index.comic(comic_id) is not None
