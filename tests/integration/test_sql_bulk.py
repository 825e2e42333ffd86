"""``insert_rows`` (``adapters/storage/db/bulk.py``): rows go in as the driver's tuples with each
column's bind conversion applied, once per distinct value object in a run of rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from bagboard.adapters.storage.db.bulk import insert_rows
from bagboard.adapters.storage.db.tables import comic_removals

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
