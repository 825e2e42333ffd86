"""Positions and read marks, on SQLite or PostgreSQL: the one store of both.

The list reads are in ``reads.py``, the row lookups and writes in ``rows.py`` (see
``tables.py`` on how the rows are keyed). Every write first takes a lock on the user's row,
then reads what it changes: one user's writes run one at a time (no lost update, no insert
race on the unique keys), and a write's server time, taken under that lock, orders the sync
feed in commit order.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, func, select

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import LeanConnection, Prepared, lean
from bagboard.adapters.storage.db.nowait_writes import NoWaitWrites, WouldWait
from bagboard.adapters.storage.db.tables import (
    index_generation,
    read_marks,
    reading_progress,
)
from bagboard.adapters.storage.index.generation import GenerationCache, kept, reading
from bagboard.adapters.storage.progress import reads
from bagboard.adapters.storage.progress.batches import transaction
from bagboard.adapters.storage.progress.feed import count_changes, select_changes
from bagboard.adapters.storage.progress.rows import (
    Found,
    UserLock,
    device_values,
    find,
    given,
    progress,
    write,
)
from bagboard.domain.browse import ComicRow
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import (
    ComicKey,
    ComicReading,
    ProgressChange,
    ReadingProgress,
    apply_change,
    clear,
)
from bagboard.domain.progress_feed import FeedCursor, FeedItem
from bagboard.ports.change_feed import Change, ChangeFeed
from bagboard.ports.progress_store import ProgressStore

__all__ = ["SqlProgressStore"]

_p = reading_progress.c
_m = read_marks.c


_FEED_PAGES_KEPT = 256
# Readings of lists of comics (a page of a list, whole series) kept between requests. The
# version is one small read: for 50 comics it cost a tenth of the readings on SQLite (20 vs
# 191 us with no position among them, 72 vs 867 us with 33) and a third on PostgreSQL; below
# ``_KEPT_FROM`` comics (an issue's own page) the readings are read directly.
_READINGS_KEPT = 1024
_KEPT_FROM = 8
# With a change feed, the version is the feed's ``reading`` and ``index`` kinds: numbers in
# memory, no read at all, so every list's readings are kept.
# The user's last change in each table: every change of a user gets a later time than the one
# before (``next_change_time``), so together they stand for everything the user changed.
_LAST_CHANGES = (
    select(func.max(_p.updated_at)).where(_p.user_id == bindparam("user_id")).scalar_subquery(),
    select(func.max(_m.updated_at)).where(_m.user_id == bindparam("user_id")).scalar_subquery(),
)
_FEED_VERSION = Prepared(select(*_LAST_CHANGES, select(index_generation.c.value).scalar_subquery()))


def _gone() -> ComicNotFound:
    # A comic removed by a scan between the lookup of its path and the write.
    return ComicNotFound("that comic is not in the library")


class SqlProgressStore(ProgressStore):
    """``changes``: the feed that says when any process wrote positions, marks or the index;
    without one, each kept value is checked with one small read. ``at_once``: SQLite's
    writes that never wait, for ``save_at_once``; without it, that always answers None."""

    def __init__(
        self,
        engine: Engine,
        changes: ChangeFeed | None = None,
        *,
        at_once: NoWaitWrites | None = None,
    ) -> None:
        self._engine = engine
        self._changes = changes
        self._at_once = at_once
        self._kept_feed: GenerationCache[Page[FeedItem]] = GenerationCache(_FEED_PAGES_KEPT)
        self._kept_readings: GenerationCache[dict[int, ComicReading]] = GenerationCache(
            _READINGS_KEPT
        )

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        with translate_errors(), self._engine.connect() as conn:
            row = find(conn, reading_progress, user_id, key)
        return None if row is None else progress(row, key.path)

    def readings(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ComicReading]:
        # Lists ask for the same pages again and again (and a Komga series list for every
        # comic of twenty series): the answer is kept under the feed's version (the user's
        # latest change and the index generation), which any write of the user, or any index
        # write, moves on.
        wanted = tuple(sorted(set(comic_ids)))
        if not wanted:
            return {}
        key = (user_id, wanted)
        if self._changes is not None:
            read = reading(self._engine, lambda conn: reads.readings(conn, user_id, wanted))
            found = kept(self._kept_readings, key, self._fed_version(), read)
            return dict(found)
        with lean(self._engine) as conn:
            if len(wanted) < _KEPT_FROM:
                return reads.readings(conn, user_id, wanted)
            version = conn.first(_FEED_VERSION, user_id=user_id)
            found = kept(
                self._kept_readings, key, version, lambda: reads.readings(conn, user_id, wanted)
            )
        return dict(found)

    def touched(self, user_id: int, library_ids: Sequence[int]) -> list[int]:
        with lean(self._engine) as conn:
            return reads.touched(conn, user_id, library_ids)

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        with lean(self._engine) as conn:
            return reads.keep_reading(conn, user_id, library_ids, page)

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        with translate_errors(missing=_gone()), transaction(self._engine) as conn:
            at, row = _lock_user(conn, user_id, now, reading_progress, key)
            saved = _save(conn, user_id, key, change, at, row, last=True)
        self._written()
        return saved

    def writes_at_once(self) -> bool:
        return self._at_once is not None

    def save_at_once(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress | None:
        if self._at_once is None:
            return None
        try:
            with translate_errors(missing=_gone()), self._at_once.begin() as conn:
                at, row = _lock_user(conn, user_id, now, reading_progress, key)
                saved = _save(conn, user_id, key, change, at, row)
        except WouldWait:
            return None
        self._written()
        return saved

    def clear(self, user_id: int, key: ComicKey, now: datetime) -> bool:
        with translate_errors(missing=_gone()), transaction(self._engine) as conn:
            at, row = _lock_user(conn, user_id, now, reading_progress, key)
            if row is None or row.deleted:
                return False
            tombstone = clear(progress(row, key.path), at)
            values = {
                "deleted": True,
                "updated_at": tombstone.updated_at,
                "client_updated_at": tombstone.client_updated_at,
                "server_stamped": tombstone.server_stamped,
                **device_values(tombstone.device),
            }
            write(conn, reading_progress, user_id, key, row, values, last=True)
        self._written()
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
        with translate_errors(missing=_gone()), transaction(self._engine) as conn:
            if position is None:
                at, row = _lock_user(conn, user_id, now, read_marks, key)
                saved = None
            else:
                at, found = _lock_user(conn, user_id, now, reading_progress, key)
                saved = _save(conn, user_id, key, position, at, found)
                row = find(conn, read_marks, user_id, key)
            if read:
                values = {"read_at": at, "updated_at": at, "deleted": False}
                values["page_count"] = given(page_count, row, "page_count")
                values["time_spent"] = given(time_spent, row, "time_spent") or 0
                write(conn, read_marks, user_id, key, row, values, last=True)
            elif row is not None and not row.deleted:
                values = {"deleted": True, "updated_at": at}
                write(conn, read_marks, user_id, key, row, values, last=True)
        self._written()
        return saved

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        # Devices poll the feed far more often than anything changes. A page read is kept
        # under its version: the user's latest change (every change of a user gets a later
        # time than the one before, tombstones included) and the index generation (a scan
        # moving a comic changes the path a change shows). One small read checks both.
        key = (user_id, after, page)
        if self._changes is not None:
            read = reading(self._engine, lambda conn: _changes(conn, user_id, after, page))
            return kept(self._kept_feed, key, self._fed_version(), read)
        with lean(self._engine) as conn:
            version = conn.first(_FEED_VERSION, user_id=user_id)
            return kept(self._kept_feed, key, version, lambda: _changes(conn, user_id, after, page))

    def _fed_version(self) -> Hashable:
        """The version of what is kept, from the feed (read before what it guards)."""
        assert self._changes is not None
        return (self._changes.version(Change.READING), self._changes.version(Change.INDEX))

    def _written(self) -> None:
        """A write of this process has committed: what is kept goes at once, before the
        notification of other processes' feeds arrives."""
        if self._changes is not None:
            self._changes.noted(Change.READING)


def _save(
    conn: Connection,
    user_id: int,
    key: ComicKey,
    change: ProgressChange,
    at: datetime,
    row: Found | None,
    *,
    last: bool = False,
) -> ReadingProgress:
    """``save`` within a transaction that holds the user's lock, at server time ``at``, over
    the key's position ``row`` read under that lock; ``last``: its write ends the transaction
    (``rows.write``)."""
    current = None if row is None else progress(row, key.path)
    saved = apply_change(current, change, key.path, at)
    if saved is current:
        return saved  # a forward-only change behind the stored position
    values = {
        "page_number": saved.page_number,
        "total_pages": saved.total_pages,
        "time_spent": saved.time_spent,
        "updated_at": saved.updated_at,
        "client_updated_at": saved.client_updated_at,
        "server_stamped": saved.server_stamped,
        "deleted": False,
        **device_values(saved.device),
    }
    write(conn, reading_progress, user_id, key, row, values, last=last)
    return saved


def _changes(
    conn: LeanConnection, user_id: int, after: FeedCursor, page: PageRequest
) -> Page[FeedItem]:
    total = count_changes(conn, user_id, after)
    items = select_changes(conn, user_id, after, page) if total > page.offset else []
    return Page(items, total, page)


# Each write's first step (see ``rows.UserLock``).
_lock_user = UserLock(_LAST_CHANGES)
