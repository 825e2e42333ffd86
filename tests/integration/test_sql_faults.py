"""Faults in the middle of a write: a locked SQLite file, a PostgreSQL connection the server
ends while the write waits. The write fails as ``StorageUnavailable``, leaves nothing of itself
behind, and the same adapter's next write goes through."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore, SqlUserStore
from bagboard.adapters.storage.db.tables import reading_progress
from bagboard.adapters.storage.progress.store import SqlProgressStore, _lock_user
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.errors import StorageUnavailable
from bagboard.domain.model import Role
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.progress_feed import FeedCursor
from tests.integration.test_sql_index import ADDED, AT, ROOT, comic, tree
from tests.storage_fixtures import POSTGRES_URL

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = ComicKey(f"{ROOT}/Marvel/X/x 1.cbz")
EPOCH = FeedCursor.start(datetime(2000, 1, 1, tzinfo=UTC))


def _batch(*names: str) -> IndexChanges:
    entries = [comic(f"{ROOT}/Marvel/X/{name}") for name in names]
    return IndexChanges(folders=tree(entries[0].path), added=[(e, ADDED) for e in entries])


def _feed(store: SqlProgressStore, user_id: int) -> list[object]:
    return list(store.changes(user_id, EPOCH, PageRequest(1, 200)).items)


# --- SQLite: another process holds the write lock ---------------------------------------------


def _nothing_lost_and_writable(store: SqlProgressStore, user_id: int, feed: list[object]) -> None:
    """After a refused write: the position saved before (page 3) and the feed are as they
    were, and the next write goes through."""
    position = store.position(user_id, KEY)
    assert position is not None and position.page_number == 3
    assert _feed(store, user_id) == feed
    store.save(user_id, KEY, ProgressChange(page_number=9), NOW + timedelta(minutes=2))
    position = store.position(user_id, KEY)
    assert position is not None and position.page_number == 9


def test_a_scan_batch_refused_by_a_locked_sqlite_file_writes_nothing(
    impatient_engine: Engine, sqlite_file: Path
) -> None:
    library_id = SqlLibraryStore(impatient_engine).add("Comics", ROOT).id
    index = SqlLibraryIndex(impatient_engine)
    index.apply(library_id, _batch("x 1.cbz"), AT)
    before = index.snapshot(library_id)
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageUnavailable):
            index.apply(library_id, _batch("x 2.cbz", "x 3.cbz"), AT + timedelta(hours=1))
        holder.rollback()
    finally:
        holder.close()
    assert index.snapshot(library_id) == before
    index.apply(library_id, _batch("x 2.cbz", "x 3.cbz"), AT + timedelta(hours=1))
    assert len(index.snapshot(library_id).comics) == 3


def test_a_progress_write_refused_by_a_locked_sqlite_file_writes_nothing(
    impatient_engine: Engine, sqlite_file: Path
) -> None:
    user = SqlUserStore(impatient_engine).add("alice", Role.READER)
    store = SqlProgressStore(impatient_engine)
    store.save(user.id, KEY, ProgressChange(page_number=3), NOW)
    feed = _feed(store, user.id)
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageUnavailable):
            store.save(user.id, KEY, ProgressChange(page_number=7), NOW + timedelta(minutes=1))
        with pytest.raises(StorageUnavailable):
            store.set_read(user.id, KEY, True, NOW + timedelta(minutes=1))
        holder.rollback()
    finally:
        holder.close()
    _nothing_lost_and_writable(store, user.id, feed)


def test_a_progress_write_holds_the_sqlite_write_lock_from_its_first_statement(
    impatient_engine: Engine, sqlite_file: Path
) -> None:
    # The user's lock is an update that changes no row: it must still take the write lock,
    # or two writes of one user could read the same latest time and interleave.
    user = SqlUserStore(impatient_engine).add("alice", Role.READER)
    other = sqlite3.connect(sqlite_file, isolation_level=None, timeout=0)
    try:
        with impatient_engine.begin() as conn:
            _lock_user(conn, user.id, NOW, reading_progress, KEY)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the write has committed
        other.execute("ROLLBACK")
    finally:
        other.close()


# --- PostgreSQL: the server ends the connection a write is waiting on ---------------------


def _cut_off_while_waiting(engine: Engine, table: str, write: Callable[[], object]) -> None:
    """Run ``write`` while another connection locks ``table``; once the write waits for that
    lock (so after its statements before the first on ``table`` ran), end its connection from
    outside as a server restart would. ``write`` must fail as ``StorageUnavailable``."""
    outside = create_engine(engine.url, poolclass=NullPool)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            write()
        except BaseException as exc:  # handed to the test thread
            failures.append(exc)

    waiting = text(
        "SELECT l.pid, CAST(l.relation AS regclass) FROM pg_locks l"
        " JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE a.datname = current_database() AND NOT l.granted"
    )
    try:
        with outside.connect() as locker, outside.connect() as watcher:
            locker.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))
            worker = threading.Thread(target=run)
            worker.start()
            deadline = time.monotonic() + 20
            while not (rows := watcher.execute(waiting).all()):
                assert worker.is_alive(), f"the write ended without waiting: {failures}"
                assert time.monotonic() < deadline, "the write never waited for the lock"
                time.sleep(0.02)
            ((pid, relation),) = rows
            assert str(relation) == table
            ended = watcher.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            assert ended.scalar() is True
            worker.join(timeout=20)
            assert not worker.is_alive()
            locker.rollback()
    finally:
        outside.dispose()
    assert len(failures) == 1 and isinstance(failures[0], StorageUnavailable), failures


if POSTGRES_URL:

    def test_a_scan_batch_cut_off_by_a_dropped_connection_writes_nothing(
        postgresql_engine: Engine,
    ) -> None:
        library_id = SqlLibraryStore(postgresql_engine).add("Comics", ROOT).id
        index = SqlLibraryIndex(postgresql_engine)
        index.apply(library_id, _batch("x 1.cbz"), AT)
        before = index.snapshot(library_id)
        later = AT + timedelta(hours=1)
        # The generation is raised last: by then folders, comics and facets were written.
        _cut_off_while_waiting(
            postgresql_engine,
            "index_generation",
            lambda: index.apply(library_id, _batch("x 2.cbz", "x 3.cbz"), later),
        )
        assert index.snapshot(library_id) == before
        index.apply(library_id, _batch("x 2.cbz", "x 3.cbz"), later)
        assert len(index.snapshot(library_id).comics) == 3

    def test_a_progress_write_cut_off_by_a_dropped_connection_writes_nothing(
        postgresql_engine: Engine,
    ) -> None:
        user = SqlUserStore(postgresql_engine).add("alice", Role.READER)
        store = SqlProgressStore(postgresql_engine)
        store.save(user.id, KEY, ProgressChange(page_number=3), NOW)
        feed = _feed(store, user.id)
        _cut_off_while_waiting(
            postgresql_engine,
            "read_marks",
            lambda: store.save(
                user.id, KEY, ProgressChange(page_number=7), NOW + timedelta(minutes=1)
            ),
        )
        _nothing_lost_and_writable(store, user.id, feed)
