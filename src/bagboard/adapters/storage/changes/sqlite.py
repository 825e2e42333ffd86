"""Changes of a SQLite database, seen by every process on its next call.

``PRAGMA data_version`` on a connection of the feed's own (one per thread) changes when any
other connection, of this process or another, has committed since it was last asked: a few
microseconds, with no file read. Only then are the change counters read again. A database
with no file of its own to open (in memory) is read through the engine instead, every call.

On an event loop the answer is asked once per turn of the loop, not once per call: a request
checks its token, the settings, the libraries, reading positions... one after another without
giving the loop back, and each asked again (the token and the settings for ``/auth/ping``:
about a twentieth of its work in the app, counted with callgrind). What one turn runs is the
steps of requests that had already begun when it started, so a commit made before a request
began is still seen by everything that request reads: the first call of a turn asks, and a
callback queued behind that turn's steps makes the next turn ask again. ``noted`` (this
process's own write) makes the next call ask at once. Calls from threads without a loop
(writes, scans, the command line) ask every time, as before.
"""

from __future__ import annotations

import sqlite3
import threading
from asyncio import AbstractEventLoop
from asyncio import _get_running_loop as running_loop
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bagboard.adapters.storage.changes.versions import COUNTERS, Versions, reset_after_fork
from bagboard.ports.change_feed import Change, ChangeFeed

__all__ = ["SqliteChangeFeed"]

_BUSY_TIMEOUT_MS = 5000
_COUNTERS_SQL = "SELECT kind, value FROM change_counters"


def _database_file(engine: Engine) -> Path | None:
    """The file behind ``engine``, or None for in-memory and URI-named databases."""
    database = engine.url.database or ""
    uri = str(engine.url.query.get("uri", "")).lower() in ("true", "1")
    if not database or database == ":memory:" or uri or database.startswith("file:"):
        return None
    return Path(database).absolute()


class _Turn:
    """The loop whose current turn has asked already (None: the next call asks), and the
    feed's count of ``noted`` calls when it asked. A plain object, not the thread-local
    itself: ``over``, queued on that loop, clears the state of the thread that asked, even if
    the loop has moved to another thread by the time it runs."""

    __slots__ = ("asked_in", "noted")

    def __init__(self) -> None:
        self.asked_in: AbstractEventLoop | None = None
        self.noted = 0

    def over(self) -> None:
        self.asked_in = None


class _Connection(threading.local):
    """A thread's own connection to the file, the data version it last saw there, and what
    its loop's current turn asked: calls from several request threads never wait for one
    another."""

    cursor: sqlite3.Cursor | None = None
    data_version: int | None = None

    def __init__(self) -> None:
        self.turn = _Turn()


class SqliteChangeFeed(ChangeFeed):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._file = _database_file(engine)
        self._versions = Versions()
        self._numbers = self._versions.numbers  # read per call: no method between
        self._local = _Connection()
        self._opened: list[sqlite3.Connection] = []  # every thread's, for ``close``
        self._lock = threading.Lock()
        self._closed = False
        self._noted = 0
        reset_after_fork(self._forked)

    def version(self, change: Change) -> int:
        # Asked already in this turn of the loop, and nothing noted since: no call to
        # ``_refresh`` at all (the check it starts with), on every read of every request.
        # The loop that asked in this thread is the one running here for as long as it runs
        # (a thread runs one loop at a time; one that stopped here and runs elsewhere clears
        # this at its next turn, ``_Turn.over``): ``is_running`` tells that without
        # ``asyncio._get_running_loop``, which makes a ``getpid`` system call each time (two
        # per ``/auth/ping`` under strace, its only ones besides the socket's reads and writes).
        turn = self._local.turn
        asked_in = turn.asked_in
        if (
            asked_in is None
            or not asked_in.is_running()
            or turn.noted != self._noted
            or self._closed
        ):
            self._refresh()
        return self._numbers[change]

    def versions(self) -> tuple[int, ...]:
        self._refresh()
        return self._versions.all()

    def following(self) -> bool:
        return self._file is not None and not self._closed

    def noted(self, change: Change) -> None:
        # The data version already shows this process's commits to the feed's connections;
        # a loop's turn that has asked already asks again.
        self._noted += 1

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._opened:
                conn.close()
            self._opened.clear()

    def _forked(self) -> None:
        # The parent's connections are left to the parent (never closed here).
        self._lock = threading.Lock()
        self._local = _Connection()
        self._opened = []
        self._versions.forked()

    def _refresh(self) -> None:
        if self._file is None or self._closed:
            self._versions.observe(self._read_through_engine())
            return
        local = self._local
        turn = local.turn
        loop = running_loop()
        if loop is not None and turn.asked_in is loop and turn.noted == self._noted:
            return
        try:
            cursor = local.cursor or self._connect(local)
            if cursor is None:
                self._versions.observe(None)
                return
            noted = self._noted
            data_version = cursor.execute("PRAGMA data_version").fetchone()[0]
            if data_version != local.data_version:
                counters = dict(cursor.execute(_COUNTERS_SQL).fetchall())
                local.data_version = data_version
                self._versions.observe(counters)
        except sqlite3.Error:
            # Unreadable now (a missing table, a locked file, closed meanwhile): nothing kept
            # is trusted, and the next call asks again.
            local.data_version = None
            self._versions.observe(None)
            return
        if loop is not None:
            if turn.asked_in is not loop:
                loop.call_soon(turn.over)
            turn.asked_in = loop
            turn.noted = noted

    def _connect(self, local: _Connection) -> sqlite3.Cursor | None:
        assert self._file is not None
        # Never creates the file: a database not made yet has nothing to follow.
        if not self._file.exists():
            return None
        conn = sqlite3.connect(self._file, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        with self._lock:
            if self._closed:
                conn.close()
                return None
            self._opened.append(conn)
        local.cursor = conn.cursor()
        return local.cursor

    def _read_through_engine(self) -> dict[str, int] | None:
        try:
            with self._engine.connect() as conn:
                return {kind: int(value) for kind, value in conn.execute(COUNTERS)}
        except SQLAlchemyError:
            return None
