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

PostgreSQL needs nothing here: ``synchronous_commit`` stays ``on`` (its default; nothing
sets it), so every commit is durable once acknowledged, the index's included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

__all__ = ["DURABLE", "REBUILDABLE", "rebuildable"]

DURABLE = "FULL"  # every SQLite connection, as opened
REBUILDABLE = "NORMAL"  # inside ``rebuildable`` only


@contextmanager
def rebuildable(engine: Engine) -> Iterator[Connection]:
    """``engine.begin()`` for writes the next scan rebuilds: on SQLite the commit does not
    wait for the disk. Only for the library index, never for users' data."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        _synchronous(conn, REBUILDABLE)
        try:
            with conn.begin():
                yield conn
        finally:
            try:
                _synchronous(conn, DURABLE)
            except BaseException:
                conn.invalidate()  # the pool drops it rather than lend it out relaxed
                raise


def _synchronous(conn: Connection, level: str) -> None:
    conn.exec_driver_sql(f"PRAGMA synchronous={level}")
    # Ends the transaction SQLAlchemy opened for the pragma; SQLite opened none.
    conn.commit()
