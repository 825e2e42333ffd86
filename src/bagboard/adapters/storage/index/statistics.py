"""Planner statistics for the browsed tables, refreshed after scans that changed them.

Both databases choose between the comics' indexes from statistics, and without any they
guess. PostgreSQL then planned a folder listing at 100,000 comics in 600 ms instead of a few;
SQLite counted a series within a publisher through the publisher's index, reading every comic
of the publisher (0.4 ms at 20,000 comics rather than 0.07: "issues, metadata" in
bench/clu.py). A scan refreshes them when they were never gathered (a database indexed
before this existed included), or when ``written`` rows changed the tables by a tenth or more
(plus 50 rows: PostgreSQL autovacuum's default rule).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from bagboard.adapters.storage.db.durability import rebuildable

__all__ = ["PLANNED", "refresh_statistics"]

# What the browse queries read.
PLANNED = (
    "comics",
    "folders",
    "series_facets",
    "publisher_series_facets",
    "all_series_facets",
    "all_publisher_series_facets",
    "publisher_facets",
)
# The planner's estimate of the comics' number: -1 until the table is first analysed.
_PG_ESTIMATE = text("SELECT reltuples FROM pg_class WHERE oid = CAST('comics' AS regclass)")
_SQLITE_HAS_STATS = text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
# Each row's ``stat`` starts with the number of rows of the table it describes.
_SQLITE_ESTIMATE = text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'comics' LIMIT 1")


def refresh_statistics(engine: Engine, written: int) -> bool:
    """Gather statistics when they are missing or ``written`` rows made them stale; says
    whether it did."""
    with engine.connect() as conn:
        estimate = _estimate(conn)
    if estimate >= 0 and written <= 50 + 0.1 * estimate:
        return False
    if engine.dialect.name == "postgresql":
        # Also VACUUM: without it index-only scans still visit the table. It runs outside a
        # transaction and blocks neither reads nor writes.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in PLANNED:
                conn.execute(text(f'VACUUM (ANALYZE) "{name}"'))
    else:
        # A few tens of milliseconds at 20,000 comics, under the write lock a scan holds anyway.
        with rebuildable(engine) as conn:
            for name in PLANNED:
                conn.execute(text(f'ANALYZE "{name}"'))
    return True


def _estimate(conn: Connection) -> float:
    if conn.dialect.name == "postgresql":
        return float(conn.execute(_PG_ESTIMATE).scalar_one())
    if not conn.execute(_SQLITE_HAS_STATS).scalar_one():
        return -1
    stat = conn.execute(_SQLITE_ESTIMATE).scalar_one_or_none()
    return -1 if stat is None else float(str(stat).split()[0])
