"""Scan locks of processes sharing one PostgreSQL database: session advisory locks.

Each holder keeps one connection of its own, outside the engine's pool, and takes its locks
there with ``pg_try_advisory_lock(LOCK_CLASS, objid)``: objid 0 for the scanner lead, the
library's id for a scan lease. The server drops a session's advisory locks when the session
ends, so a holder killed outright (or whose connection dies) loses them at once. The
connection's ``application_name`` is the holder's description, which is how another process
names the holder (``pg_locks`` joined with ``pg_stat_activity``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from bagboard.domain.errors import StorageUnavailable
from bagboard.ports.scan_locks import ScanLock, ScanLocks

__all__ = ["LOCK_CLASS", "PgScanLocks", "connection_arguments"]

log = logging.getLogger(__name__)

# The first key of every bagboard advisory lock: b"bagb" read as a 32-bit number, so that
# other programs' advisory locks in the same database do not collide with these.
LOCK_CLASS = 0x62616762
# PostgreSQL keeps at most 63 bytes of an application_name.
_NAME_BYTES = 63
# The server notices a holder whose machine vanished after about 10 + 5 * 3 seconds of
# silence (its default is hours), and this side gives up on a dead server as soon, even in
# the middle of a query (the user timeout bounds unanswered sends, which keepalives do not).
_KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 25_000,
}
_SERVER_KEEPALIVE = (
    "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 "
    "-c tcp_user_timeout=25000"
)
_CONNECT_SECONDS = 10

_TRY = "SELECT pg_try_advisory_lock(%s::int4, %s::int4)"
_UNLOCK = "SELECT pg_advisory_unlock(%s::int4, %s::int4)"
_HOLDER = """
SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.classid::int8 = %s AND l.objid::int8 = %s
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
LIMIT 1
"""
_MINE = """
SELECT count(*) FROM pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND pid = pg_backend_pid()
  AND classid::int8 = %s AND objid::int8 = %s
"""


def connection_arguments(database_url: str, holder: str) -> dict[str, Any]:
    """``psycopg.connect`` keywords for the lock connection of ``holder`` to ``database_url``,
    as SQLAlchemy would connect, named after the holder."""
    url = make_url(database_url)
    _, keywords = url.get_dialect()().create_connect_args(url)
    name = holder.encode("ascii", "replace")[:_NAME_BYTES].decode("ascii")
    options = " ".join(filter(None, [keywords.pop("options", ""), _SERVER_KEEPALIVE]))
    return {
        **_KEEPALIVE,
        "connect_timeout": _CONNECT_SECONDS,
        **keywords,
        "options": options,
        "application_name": name,
        "autocommit": True,
    }


def _objid(lock: ScanLock) -> int:
    return 0 if lock.library_id is None else int(lock.library_id)


class PgScanLocks(ScanLocks):
    def __init__(self, database_url: str, holder: str) -> None:
        self._arguments = connection_arguments(database_url, holder)
        self._guard = threading.Lock()  # over the connection and _held
        self._connection: psycopg.Connection[Any] | None = None
        self._held: set[ScanLock] = set()

    def _connected(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            self._drop()
            try:
                self._connection = psycopg.connect(**self._arguments)
            except psycopg.Error as exc:
                raise StorageUnavailable("the database is unavailable; try again") from exc
        return self._connection

    def _drop(self) -> None:
        """Forget the connection and, with it, every lock it held (the server dropped them)."""
        if self._held:
            log.warning("the database connection holding the scan locks was lost")
        self._held.clear()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _query(self, sql: str, *params: int, again: bool = False) -> Any:
        """The first column of the first row. A lost connection is dropped, then, with
        ``again``, replaced once (the locks it held are gone either way)."""
        for attempt in (1, 2):
            connection = self._connected()
            try:
                row = connection.execute(sql, params).fetchone()
            except psycopg.OperationalError as exc:
                self._drop()
                if again and attempt == 1:
                    continue
                raise StorageUnavailable("the database is unavailable; try again") from exc
            return None if row is None else row[0]
        raise AssertionError("unreachable")

    def try_hold(self, lock: ScanLock) -> bool:
        with self._guard:
            if lock in self._held:
                if self._still_mine(lock):
                    return False
                self._held.discard(lock)
            taken = bool(self._query(_TRY, LOCK_CLASS, _objid(lock), again=True))
            if taken:
                self._held.add(lock)
            return taken

    def _still_mine(self, lock: ScanLock) -> bool:
        try:
            return bool(self._query(_MINE, LOCK_CLASS, _objid(lock)))
        except StorageUnavailable:
            return False

    def still_held(self, lock: ScanLock) -> bool:
        with self._guard:
            return lock in self._held and self._still_mine(lock)

    def release(self, lock: ScanLock) -> None:
        with self._guard:
            if lock not in self._held:
                return
            self._held.discard(lock)
            # A connection gone has taken the lock with it.
            with contextlib.suppress(StorageUnavailable):
                self._query(_UNLOCK, LOCK_CLASS, _objid(lock))

    def holder(self, lock: ScanLock) -> str | None:
        with self._guard:
            name = self._query(_HOLDER, LOCK_CLASS, _objid(lock), again=True)
        return str(name) if name else None

    def close(self) -> None:
        with self._guard:
            self._held.clear()
            if self._connection is not None:
                self._connection.close()  # the session ends, and its locks with it
                self._connection = None
