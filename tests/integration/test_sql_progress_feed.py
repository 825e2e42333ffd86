"""The sync feed's statements read the two tables through their (user, time, id) indexes.

The statements a feed page runs (on the lean path) are captured and explained: neither table
may be scanned whole, whatever the cursor (a start time, a position, a mark). PostgreSQL is
told to avoid sequential scans, so a filter that no index can serve still shows up as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text

from bagboard.adapters.storage import SqlUserStore
from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.model import Role
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.progress_feed import FeedCursor, Source

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
TABLES = ("reading_progress", "read_marks")


@contextmanager
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """The SQL and parameters of every statement run on the lean path meanwhile."""
    statements: list[tuple[str, Any]] = []
    run = LeanConnection.all

    def spy(self: LeanConnection, statement: Prepared, **values: Any) -> list[Any]:
        compiled, parameters = statement.bind(self.dialect, values)
        statements.append((compiled.sql, parameters))
        return run(self, statement, **values)

    with monkeypatch.context() as patch:
        patch.setattr(LeanConnection, "all", spy)
        yield statements


def plan(engine: Engine, statement: str, parameters: Any) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            # The lean path's statements carry PostgreSQL's own ``$n`` placeholders.
            with psycopg.RawCursor(conn.connection.driver_connection) as cursor:
                cursor.execute("EXPLAIN " + statement, parameters)
                rows = cursor.fetchall()
        else:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize(
    "cursor",
    [
        FeedCursor.start(T0),
        FeedCursor(T0, Source.POSITION, 3),
        FeedCursor(T0, Source.MARK, 3),
    ],
    ids=["start", "after a position", "after a mark"],
)
def test_feed_statements_use_the_time_indexes(
    sql_engine: Engine, cursor: FeedCursor, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    store = SqlProgressStore(sql_engine)
    for n in range(20):
        store.save(user.id, ComicKey(f"/x/{n}.cbz"), ProgressChange(n), T0)
        store.set_read(user.id, ComicKey(f"/x/{n}.cbz"), True, T0)
    with sql_engine.begin() as conn:
        conn.execute(text("ANALYZE"))

    with captured(monkeypatch) as statements:
        page = store.changes(user.id, cursor, PageRequest(1, 5))
    assert page.items
    # The version a kept page is checked against, then (nothing being kept) the count and the
    # page. All read through the (user, time) indexes.
    assert len(statements) == 3
    for n, (statement, parameters) in enumerate(statements):
        explained = plan(sql_engine, statement, parameters)
        for table in TABLES:
            # The index bounds the time too, not only the user: no row before the cursor read.
            assert f"ix_{table}_user_id_updated_at" in explained, explained
            assert f"Seq Scan on {table}" not in explained, explained
            assert f"SCAN {table}" not in explained, explained
        if n == 0:
            continue  # the version: the last change of each table, by the same indexes
        if sql_engine.dialect.name == "postgresql":
            bounded = re.findall(r"Index Cond: \(\(user_id = \d+\) AND \(updated_at >", explained)
        else:
            bounded = re.findall(r"\(user_id=\? AND updated_at>", explained)
        assert len(bounded) == len(TABLES), explained


def test_a_kept_feed_page_is_read_again_after_any_change(sql_engine: Engine) -> None:
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    store = SqlProgressStore(sql_engine)
    other = SqlProgressStore(sql_engine)  # another process writing
    store.save(user.id, ComicKey("/x/1.cbz"), ProgressChange(1), T0)
    start = FeedCursor.start(T0)

    def pages() -> list[int | None]:
        return [item.page_number for item in store.changes(user.id, start, PageRequest()).items]

    assert pages() == [1]
    assert pages() == [1]  # kept
    other.save(user.id, ComicKey("/x/1.cbz"), ProgressChange(2), T0)
    assert pages() == [2]
    other.set_read(user.id, ComicKey("/x/1.cbz"), True, T0)
    kinds = [item.kind for item in store.changes(user.id, start, PageRequest()).items]
    assert len(kinds) == 2
    other.clear(user.id, ComicKey("/x/1.cbz"), T0)
    assert pages() == [None, None]  # the cleared position and the read mark
