"""How durable a commit is: users' writes survive a power cut, the index's may not.

A write the server has answered must still be there after a power cut when it is a user's
own data (positions, read marks, shelves, reading lists, accounts, tokens, passwords, web
sessions, settings, KOReader data): nothing else holds it. The library index (comics,
folders, page lists, facets, story arcs, its generation, the scan records, the planner's
statistics) is rebuilt by the next scan from the files themselves, so it may trade that
guarantee for speed.

SQLite, in WAL mode, makes a commit durable with ``PRAGMA synchronous=FULL``: the WAL is
synced (an ``fdatasync`` on Linux) before the commit returns. With ``NORMAL`` it is synced
only at checkpoints, so the last commits may roll back after a power cut (never corrupting
the file). A scan commits hundreds of batches; syncing each would slow it for nothing.

Hence ``FULL`` is what every connection gets when it opens (``engine.py``), and the index's
writes ask for ``NORMAL`` around their transaction (``rebuildable``), on the one connection
that runs it. Rather than two engines for one file (two pools, twice the connections, and
every store choosing one), one engine, durable by default: a new kind of write is durable
unless someone decides it may not be. The setting obeys SQLite's rules:

- It belongs to one connection, so ``rebuildable`` sets it back to ``FULL`` before the
  connection returns to the pool; if that fails the connection is discarded (invalidated),
  never pooled at ``NORMAL``.
- SQLite refuses to change it inside a transaction ("Safety level may not be changed inside
  a transaction"), so both pragmas run between transactions: before ``BEGIN`` and after
  ``COMMIT``/``ROLLBACK``. (The driver opens SQLite's transaction only at the first write,
  and a pragma opens none.)
- Syncing the WAL syncs all of it: a user's commit after unsynced index batches makes those
  durable too; it never depends on them.

A first import may also ask for fewer checkpoints (``bulk``): SQLite copies the WAL back into
the database once it holds ``wal_autocheckpoint`` pages (a thousand by default), and a batch of
new comics touches pages all over the comics' indexes, so at the default a first import copies
and syncs the same pages again every few batches. ``bulk`` raises the threshold to
``BULK_WAL_PAGES`` for its transaction (the WAL, and the time every page lookup spends in its
index, stays bounded) and sets it back after, with the synchronous level.

PostgreSQL needs nothing here: ``synchronous_commit`` stays ``on`` (its default; nothing
sets it), so every commit is durable once acknowledged, the index's included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

__all__ = ["BULK_WAL_PAGES", "DURABLE", "REBUILDABLE", "WAL_PAGES", "rebuildable"]

DURABLE = "FULL"  # every SQLite connection, as opened
REBUILDABLE = "NORMAL"  # inside ``rebuildable`` only
WAL_PAGES = 1000  # SQLite's automatic checkpoint threshold, which connections keep
BULK_WAL_PAGES = 10_000  # inside ``rebuildable(bulk=True)`` only: about 40 MB of WAL


@contextmanager
def rebuildable(engine: Engine, *, bulk: bool = False) -> Iterator[Connection]:
    """``engine.begin()`` for writes the next scan rebuilds: on SQLite the commit does not
    wait for the disk, and with ``bulk`` (a first import's batches) does not checkpoint below
    ``BULK_WAL_PAGES``. Only for the library index, never for users' data."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        _synchronous(conn, REBUILDABLE, BULK_WAL_PAGES if bulk else None)
        try:
            with conn.begin():
                yield conn
        finally:
            try:
                _synchronous(conn, DURABLE, WAL_PAGES if bulk else None)
            except BaseException:
                conn.invalidate()  # the pool drops it rather than lend it out relaxed
                raise


def _synchronous(conn: Connection, level: str, wal_pages: int | None = None) -> None:
    conn.exec_driver_sql(f"PRAGMA synchronous={level}")
    if wal_pages is not None:
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(wal_pages)}")
    # Ends the transaction SQLAlchemy opened for the pragmas; SQLite opened none.
    conn.commit()
