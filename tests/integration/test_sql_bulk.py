"""``insert_rows`` (``adapters/storage/db/bulk.py``): rows go in as the driver's tuples with each
column's bind conversion applied, once per distinct value object in a run of rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy import exc as sa_exc

from bagboard.adapters.storage.db.bulk import insert_rows
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import comic_removals, story_arcs
from bagboard.domain.errors import InvalidInput

AT = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_rows_sharing_a_value_and_rows_not_read_back_as_written(sql_engine: Engine) -> None:
    shared = AT + timedelta(hours=1)
    times = [shared, shared, AT, shared, AT + timedelta(days=3), AT.astimezone(None), shared]
    rows = [
        {"comic_id": n, "library_id": 1, "path": f"/c/{n}.cbz", "removed_at": at}
        for n, at in enumerate(times)
    ]
    with sql_engine.begin() as conn:
        insert_rows(conn, comic_removals, rows)
        insert_rows(conn, comic_removals, [])  # nothing to write: nothing happens
        stored = conn.execute(
            select(comic_removals.c.comic_id, comic_removals.c.removed_at).order_by(
                comic_removals.c.comic_id
            )
        ).all()
    assert [comic_id for comic_id, _ in stored] == list(range(len(times)))
    assert [at for _, at in stored] == times
    assert all(at.utcoffset() == timedelta(0) for _, at in stored)


def test_a_row_the_table_refuses_fails_as_sqlalchemy_raises_it(sql_engine: Engine) -> None:
    # PostgreSQL's rows go in by COPY, outside SQLAlchemy's statements: its errors must
    # still leave as SQLAlchemy's, which is what ``translate_errors`` turns into domain errors.
    twice = [{"arc_key": "x-men", "arc_sort": "x-men"}] * 2
    duplicate = InvalidInput("already there")
    with (
        pytest.raises(InvalidInput) as raised,
        translate_errors(duplicate=duplicate),
        sql_engine.begin() as conn,
    ):
        insert_rows(conn, story_arcs, twice)
    assert raised.value is duplicate
    assert isinstance(raised.value.__cause__, sa_exc.IntegrityError)
    with sql_engine.begin() as conn:  # rolled back, and the connection still serves
        insert_rows(conn, story_arcs, twice[:1])
        assert conn.execute(select(story_arcs.c.arc_key)).scalars().all() == ["x-men"]
