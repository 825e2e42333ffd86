"""Short SQLite writes made where nothing may wait (the server's event loop), or not at all.

A reader app saves its position on every page turn, one request after the other, and each
write handed to a worker thread and back costs two thread wake-ups: about 0.3 ms of wall time
on a 2-core machine, more than the write's own CPU (the same server writing on its event loop
made 1,102 sequential writes a second against 797 through a thread, side by side). SQLite can
make such a write where the request is, provided the write never waits:

- for the write lock: this connection has no busy timeout, so a lock another connection
  holds (a scan's batch, a write in a worker thread) fails the write's first statement at
  once, before anything is written (``WouldWait``); the caller then writes the usual way,
  in a thread, where waiting is allowed;
- for a slow disk: every write is timed, and while they are slow (an average of the last
  ones above ``SLOW``, or one above ``TOO_SLOW``: a disk that syncs slowly, a network file
  system, a burst of other writes to the disk) none is made here for a while; then one is
  tried again, and a slow one rests them again. The first rest is short (``FIRST_REST``: a
  shared machine's disk stalls now and then), each one soon after twice the last, up to
  ``REST``;
- for a checkpoint: this connection never copies the WAL back itself (``wal_autocheckpoint``
  0); every ``CHECKPOINT_EVERY`` commits a passive checkpoint runs in a thread of its own on
  the main engine, beside the writes, then copies what they added meanwhile with them held
  off for that moment, so that the next write starts the WAL over (``_copy_back``).

Commits are as durable as anywhere else (``synchronous=FULL``, ``durability.py``). One
connection, used by one caller at a time: a second caller, from another thread, is told
``WouldWait`` rather than queued. PostgreSQL has nothing of this (a write there is a round
trip to the server): ``for_engine`` gives None, and writes go to a thread as before.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy import exc as sa_exc

from bagboard.adapters.storage.db.engine import make_engine

__all__ = ["NoWaitWrites", "WouldWait"]

_log = logging.getLogger(__name__)

SLOW = 0.002  # seconds: the average write above which the disk counts as slow
TOO_SLOW = 0.025  # one write this long is enough
FIRST_REST = 0.25  # seconds without writes here after a slow one, when none was slow lately
REST = 5.0  # the longest rest; a slow write within this of the last rest's end doubles it
CHECKPOINT_EVERY = 256  # commits (a position write adds about four pages to the WAL)
_WEIGHT = 0.125  # of the newest write in the average


class WouldWait(Exception):
    """The write was not made (nothing of it is written): it would have had to wait."""


class NoWaitWrites:
    """Transactions on a connection of their own to ``engine``'s SQLite file, each either
    made at once or refused with ``WouldWait``. ``clock`` times them (seconds)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self._main = engine
        self._clock = clock
        self._engine = make_engine(engine.url.render_as_string(hide_password=False),
                                   busy_timeout_ms=0)  # fmt: skip
        event.listen(self._engine, "connect", _no_autocheckpoint)
        # Opened now, so that no write's time counts the opening (pragmas, a WAL index map);
        # if it cannot be (another process holds a lock meanwhile), the first write opens it.
        with contextlib.suppress(sa_exc.OperationalError):
            self._engine.connect().close()
        self._lock = Lock()
        self._average = 0.0
        self._rest_until = -math.inf  # never rested
        self._rest = FIRST_REST
        self._commits = 0
        self._checkpoints = ThreadPoolExecutor(1, thread_name_prefix="bagboard-checkpoint")
        self._checkpoint: Future[None] | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> NoWaitWrites | None:
        """For a SQLite file's engine; None for PostgreSQL or a database in memory."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        return cls(engine)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction, committed when the block ends; ``WouldWait`` (rolled back, or never
        begun) when it would have waited: for the lock, for this connection, or while writes
        are slow; and when SQLite failed in any other way it reports as operational (a file
        it cannot open, an I/O error), so that the caller's usual write meets the error and
        reports it. The block's first statement must be a write, so that it takes the lock
        before reading anything (a read first would start a snapshot a concurrent commit
        could invalidate)."""
        if self._clock() < self._rest_until or not self._lock.acquire(blocking=False):
            raise WouldWait
        started = self._clock()
        try:
            with self._engine.begin() as conn:
                yield conn
        except sa_exc.OperationalError as error:  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR...
            raise WouldWait from error
        finally:
            self._lock.release()
            self._timed(self._clock() - started)
        self._committed()

    def close(self) -> None:
        """Wait for a checkpoint under way and close the connection."""
        self._checkpoints.shutdown(wait=True)
        self._engine.dispose()

    def _timed(self, took: float) -> None:
        average = self._average + (took - self._average) * _WEIGHT
        if took > TOO_SLOW or average > SLOW:
            # After the rest, the first write tells: a slow one rests them again at once.
            # Slow again within ``REST`` of the last rest's end: a slow disk, not a stall.
            now = self._clock()
            lately = now < self._rest_until + REST
            self._rest = min(self._rest * 2, REST) if lately else FIRST_REST
            self._rest_until = now + self._rest
            average = SLOW
        self._average = average

    def _committed(self) -> None:
        self._commits += 1
        running = self._checkpoint
        if self._commits < CHECKPOINT_EVERY or (running is not None and not running.done()):
            return
        self._commits = 0
        try:
            self._checkpoint = self._checkpoints.submit(self._copy_back)
        except RuntimeError:  # closed: the server is stopping
            self._checkpoint = None

    def _copy_back(self) -> None:
        try:
            with self._main.connect() as conn:
                _backfill(conn)  # most of it, while writes go on
                # SQLite starts the WAL over only when a write begins with all of it copied
                # back: the writes made during the pass above are not, and with a steady
                # stream of them (a reader turning pages) it would never be, each commit
                # growing the file (whose size a sync then writes too: 0.3 ms, not 0.16).
                # Copied with the writes held off (meanwhile they go to a thread), the next
                # write starts it over.
                with self._lock:
                    _backfill(conn)
        except sa_exc.SQLAlchemyError as error:
            # The next one, or any other connection's automatic checkpoint, does it.
            _log.warning("a WAL checkpoint failed (%s)", type(error).__name__)


def _backfill(conn: Connection) -> None:
    """Copy the WAL's committed pages back into the database, waiting for no one."""
    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    finally:
        cursor.close()
