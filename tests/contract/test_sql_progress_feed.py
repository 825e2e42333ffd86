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

import pytest
from sqlalchemy import Engine, text

from bagboard.adapters.storage import SqlUserStore
from bagboard.adapters.storage.lean import LeanConnection, Prepared
from bagboard.adapters.storage.progress import SqlProgressStore
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
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
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
    assert len(statements) == 2  # the count, then the page
    for statement, parameters in statements:
        explained = plan(sql_engine, statement, parameters)
        for table in TABLES:
            # The index bounds the time too, not only the user: no row before the cursor read.
            assert f"ix_{table}_user_id_updated_at" in explained, explained
            assert f"Seq Scan on {table}" not in explained, explained
            assert f"SCAN {table}" not in explained, explained
        if sql_engine.dialect.name == "postgresql":
            bounded = re.findall(r"Index Cond: \(\(user_id = \d+\) AND \(updated_at >", explained)
        else:
            bounded = re.findall(r"\(user_id=\? AND updated_at>", explained)
        assert len(bounded) == len(TABLES), explained
