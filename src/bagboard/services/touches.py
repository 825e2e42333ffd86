"""When each token or web session was last used, written by a thread of its own rather than
by the request.

Authentication runs on the server's event loop, and a token's ``last_used_at`` (a session's
``last_seen_at``) moves once a minute (``auth.TOUCH_INTERVAL``): written there, that one
write made the whole server wait for the database, on SQLite for as long as another
connection held the write lock (a scan's batch), up to its busy timeout, after which the
request failed with 503 although it only read. Noted here instead, the request goes on at
once; a thread writes the latest use of each one noted, one after the other. A write that
fails is logged and dropped: it is bookkeeping, and the next use after the interval notes it
again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from bagboard.domain.errors import DomainError

__all__ = ["Touches"]

_log = logging.getLogger(__name__)


class Touches:
    """``write(id, at)`` (a store's ``touch``) of the ``what`` (for the log and the thread's
    name) used, made shortly after in a thread of its own (started on the first use, stopped
    by ``stop``, which writes what is left)."""

    def __init__(self, write: Callable[[int, datetime], None], what: str) -> None:
        self._write = write
        self._what = what
        self._noted: dict[int, datetime] = {}
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def __call__(self, used: int, at: datetime) -> None:
        """Note that ``used`` (an id) was used at ``at``; never touches the database."""
        with self._changed:
            self._noted[used] = at
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(
                    target=self._run, name=f"bagboard-{self._what}-uses", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def flush(self) -> int:
        """Write everything noted now, in the caller's thread; the number written."""
        with self._changed:
            taken, self._noted = self._noted, {}
        for used, at in taken.items():
            try:
                self._write(used, at)
            except DomainError as error:  # the class only: a driver's message may say more
                _log.warning(
                    "a %s's last use was not recorded (%s)", self._what, type(error).__name__
                )
        return len(taken)

    def stop(self) -> None:
        """Stop the thread and write what is noted."""
        with self._changed:
            self._stopping = True
            thread, self._thread = self._thread, None
            self._changed.notify_all()
        if thread is not None:
            thread.join()
        self.flush()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._noted and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return
            self.flush()
