"""Changes of a PostgreSQL database, told by notifications.

Every write of a watched table raises its kind's counter and sends ``NOTIFY bagboard_changes``
(migration 0020). One daemon thread per feed listens on a connection of its own and moves the
kind's version on as each notification arrives: a version costs no round trip while it listens.
Reading changes (migration 0021) are told by notification alone, with no counter to read: while
the feed does not listen, every ``version`` of ``Change.READING`` is a new number.
When that connection is lost, ``following`` is False and every ``version`` reads the counters
from the database (exact, at a round trip each) until the listener is back; it reconnects
with growing pauses. Every few seconds of quiet the listener notifies itself: a connection
that died silently, or one that can LISTEN but hears nothing (a pooler in transaction mode
between the server and the database), counts as lost, and the feed reads the counters rather
than trust silence. Logs say when notifications are lost and when they resume, never where
the database is.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bagboard.adapters.storage.changes.versions import COUNTERS, Versions, reset_after_fork
from bagboard.ports.change_feed import Change, ChangeFeed

__all__ = ["APPLICATION_NAME", "CHANNEL", "PostgresChangeFeed"]

logger = logging.getLogger("bagboard.storage")

CHANNEL = "bagboard_changes"
APPLICATION_NAME = "bagboard change listener"
# How often the listener looks up from waiting: to stop, and to check its connection is alive.
_POLL_SECONDS = 0.25
# After this much quiet the listener notifies itself, and hears it back within _PROBE_WAIT or
# gives the connection up.
_HEARTBEAT_SECONDS = 10.0
_PROBE_WAIT = 5.0
_PROBE = "probe"
_FIRST_PAUSE, _LONGEST_PAUSE = 0.2, 30.0


_KINDS = frozenset(Change)


class _Deaf(Exception):
    """The listener's own probe never came back."""


class PostgresChangeFeed(ChangeFeed):
    def __init__(self, engine: Engine, *, first_pause: float = _FIRST_PAUSE) -> None:
        self._engine = engine
        self._first_pause = first_pause
        self._versions = Versions(uncounted=(Change.READING,))
        self._numbers = self._versions.numbers  # read per call: no method between
        # Whether the listener hears every change now: a plain flag, not an ``Event`` (nothing
        # waits on it), read by ``version`` on every call with no method between.
        self._listening = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._lost_logged = False
        reset_after_fork(self._forked)

    def version(self, change: Change) -> int:
        if not self._listening:
            self._refresh()
        return self._numbers[change]

    def versions(self) -> tuple[int, ...]:
        self._refresh()
        return self._versions.all()

    def following(self) -> bool:
        return self._listening

    def noted(self, change: Change) -> None:
        self._versions.bump(change)

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5 * _POLL_SECONDS)
        self._listening = False

    def _forked(self) -> None:
        # The listener thread stayed in the parent: this process starts its own when asked.
        self._versions.forked()
        self._listening = False
        self._thread = None
        self._start_lock = threading.Lock()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is not None or self._stop.is_set():
                return
            thread = threading.Thread(target=self._listen, name="bagboard-changes", daemon=True)
            self._thread = thread
        thread.start()

    def _refresh(self) -> None:
        if self._thread is None:
            self._start()
        if not self._listening:
            self._versions.observe(self._read_counters())

    def _read_counters(self) -> dict[str, int] | None:
        try:
            with self._engine.connect() as conn:
                return {kind: int(value) for kind, value in conn.execute(COUNTERS)}
        except SQLAlchemyError:
            return None

    # --- the listener thread -----------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        args, params = self._engine.dialect.create_connect_args(self._engine.url)
        # Named, so an administrator can tell the listener among the server's connections.
        params.setdefault("application_name", APPLICATION_NAME)
        return psycopg.connect(*args, **params, autocommit=True)

    def _listen(self) -> None:
        pause = self._first_pause
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    # After LISTEN: a change committed from here on is either in these
                    # counters or in a notification still to come.
                    rows = conn.execute(COUNTERS.compile(dialect=self._engine.dialect).string)
                    self._versions.observe({str(k): int(v) for k, v in rows.fetchall()})
                    self._resumed()
                    pause = self._first_pause
                    self._follow(conn)
            except Exception as error:
                # Whatever ends the connection, the feed must stop trusting silence.
                self._lost(error)
            if self._stop.wait(pause):
                break
            pause = min(pause * 2, _LONGEST_PAUSE)
        self._listening = False

    def _follow(self, conn: psycopg.Connection[Any]) -> None:
        heard = time.monotonic()  # when anything last arrived
        probed: float | None = None  # when the probe awaited was sent
        while not self._stop.is_set():
            for notify in conn.notifies(timeout=_POLL_SECONDS):
                heard, probed = time.monotonic(), None
                if notify.payload in _KINDS:
                    self._versions.bump(Change(notify.payload))
            now = time.monotonic()
            if probed is not None and now - probed > _PROBE_WAIT:
                raise _Deaf
            if probed is None and now - heard >= _HEARTBEAT_SECONDS:
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, _PROBE))
                probed = now

    def _resumed(self) -> None:
        self._listening = True
        if self._lost_logged:
            self._lost_logged = False
            logger.info("Change notifications from PostgreSQL resumed.")

    def _lost(self, error: BaseException) -> None:
        self._listening = False
        if not self._lost_logged and not self._stop.is_set():
            self._lost_logged = True
            logger.warning(
                "Change notifications from PostgreSQL lost (%s); every request reads the "
                "change counters until they resume.",
                type(error).__name__,
            )
