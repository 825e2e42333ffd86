"""Page tracking written behind the page: the forward-only positions that streamed pages
report (OPDS page streaming's ``track=1``), kept per user and comic and written shortly after.

A reader fetches pages ahead and back in any order, each fetch a forward-only write. Written
one by one, every page answer waited on a database write (measured: tracked pages at 60% of
untracked ones, p99 near 190 ms). Here a fetch only notes the page: the highest page noted
per (user, comic) is written ``delay`` seconds after the first fetch since the last write, one
write per (user, comic) per flush, through the store's own forward-only write; so a position
written meanwhile by another device, protocol or server process is never moved back.

Nothing noted is lost to a reader that asks: the store every service reads progress through
(``TrackedProgressStore``) writes a user's noted pages before any read or write of that
user's progress, whatever the protocol. The server writes everything noted when it stops
(``stop``, on the HTTP app's shutdown and when the library is closed).

A write the database refuses for now (``StorageUnavailable``: busy, lost connection) is
noted again, to be tried at the next flush, up to ``ATTEMPTS`` times in all; any other
failure (the comic or the user removed meanwhile) drops that one position. Both are logged,
naming only the user's and the comic's ids. Each server process notes its own fetches; the
forward-only writes keep that safe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bagboard.domain.errors import StorageUnavailable
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.ports.clock import Clock
from bagboard.ports.progress_store import ProgressStore

__all__ = ["ATTEMPTS", "DELAY", "PageTracker", "log"]

log = logging.getLogger(__name__)

# Seconds from the first fetch of a page to the write: a reader's burst of prefetches (and a
# reader turning pages) becomes one write per comic per flush.
DELAY = 0.5
# Tries of one position against a database that is busy or unreachable, before it is dropped.
ATTEMPTS = 3


@dataclass(slots=True)
class _Noted:
    change: ProgressChange
    due: float  # on ``timer``'s scale
    attempts: int = 0


def _page(change: ProgressChange) -> int:
    return change.page_number or 0


class PageTracker:
    """Forward-only positions noted now and written to ``store`` shortly after.

    ``timer`` (monotonic seconds) decides when a noted page is due; ``clock`` gives the
    server time of the write. With ``background=False`` nothing is written until
    ``flush_due``, ``flush_user`` or ``stop`` is called (tests drive it with a fake timer);
    otherwise a thread started on the first noted page writes them as they fall due.
    """

    def __init__(
        self,
        store: ProgressStore,
        clock: Clock,
        *,
        delay: float = DELAY,
        timer: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self._store = store
        self._clock = clock
        self._delay = delay
        self._timer = timer
        self._background = background
        # Guards the maps and wakes the writer thread.
        self._changed = threading.Condition()
        self._noted: dict[int, dict[ComicKey, _Noted]] = {}
        # Users whose positions a flush has taken from ``_noted`` and not yet written.
        self._writing: set[int] = set()
        # Held around every write, so a user's flush waits for the writes already under way.
        self._write_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def track(self, user_id: int, key: ComicKey, change: ProgressChange) -> None:
        """Note a forward-only ``change`` of ``user_id``'s position at ``key``: the highest
        page noted per comic is written at the next flush. Never touches the database."""
        if not change.forward_only:
            raise ValueError("only forward-only changes are tracked")
        with self._changed:
            noted = self._noted.setdefault(user_id, {})
            found = noted.get(key)
            if found is None:
                noted[key] = _Noted(change, self._timer() + self._delay)
                self._changed.notify()
            elif _page(change) > _page(found.change):
                found.change = change
            if self._background and (self._thread is None or not self._thread.is_alive()):
                self._start()

    def pending(self) -> int:
        """How many positions are noted and not yet written."""
        with self._changed:
            return sum(len(noted) for noted in self._noted.values())

    def due_in(self) -> float | None:
        """Seconds until the next noted position falls due (0 when one is due); None when
        nothing is noted."""
        with self._changed:
            return self._due_in()

    def flush_due(self) -> int:
        """Write every noted position that is due; the number written."""
        return self._flush(lambda noted: noted.due <= self._timer())

    def flush_user(self, user_id: int) -> None:
        """Write everything noted for ``user_id`` now, and wait for its writes under way:
        what a read of the user's progress must come after."""
        if not self.settled(user_id):
            self._flush(lambda noted: True, user_id=user_id)

    def settled(self, user_id: int) -> bool:
        """Whether nothing is noted for ``user_id`` or being written: ``flush_user`` would
        have nothing to do."""
        with self._changed:
            return user_id not in self._noted and user_id not in self._writing

    def stop(self) -> int:
        """Stop the writer thread and write everything noted, each position tried once: the
        server is stopping. The number written. Noting again starts the thread again."""
        with self._changed:
            self._stopping = True
            thread, self._thread = self._thread, None
            self._changed.notify_all()
        if thread is not None:
            thread.join()
        with self._changed:
            self._stopping = False
        return self._flush(lambda noted: True, final=True)

    # --- writing ------------------------------------------------------------------------------

    def _flush(
        self, due: Callable[[_Noted], bool], *, user_id: int | None = None, final: bool = False
    ) -> int:
        # ``_writing`` is filled before the noted positions leave ``_noted``, and emptied once
        # written: a user's flush that finds neither has nothing to wait for.
        with self._write_lock:
            with self._changed:
                taken: dict[int, dict[ComicKey, _Noted]] = {}
                users = list(self._noted) if user_id is None else [user_id]
                for user in users:
                    noted = self._noted.get(user, {})
                    ready = {key: found for key, found in noted.items() if due(found)}
                    if not ready:
                        continue
                    taken[user] = ready
                    for key in ready:
                        del noted[key]
                    if not noted:
                        del self._noted[user]
                self._writing.update(taken)
            try:
                return self._write(taken, final=final)
            finally:
                with self._changed:
                    self._writing.difference_update(taken)

    def _write(self, taken: dict[int, dict[ComicKey, _Noted]], *, final: bool) -> int:
        # Called with ``_write_lock`` held; never raises.
        written = 0
        for user_id, noted in taken.items():
            for key, found in noted.items():
                try:
                    self._store.save(user_id, key, found.change, self._clock.now())
                except StorageUnavailable:
                    found.attempts += 1
                    if final or found.attempts >= ATTEMPTS:
                        self._lost(user_id, key, "the database is unavailable")
                    else:
                        log.warning(
                            "page tracking: the database is unavailable; the position of "
                            "user %s in comic %s is tried again",
                            user_id,
                            key.comic_id,
                        )
                        self._note_again(user_id, key, found)
                except Exception as exc:  # logged; the server goes on
                    # The class only: a driver's message may quote the comic's path.
                    self._lost(user_id, key, type(exc).__name__)
                else:
                    written += 1
        return written

    def _note_again(self, user_id: int, key: ComicKey, found: _Noted) -> None:
        with self._changed:
            noted = self._noted.setdefault(user_id, {})
            newer = noted.get(key)
            if newer is not None and _page(newer.change) >= _page(found.change):
                newer.attempts = max(newer.attempts, found.attempts)
                return
            found.due = self._timer() + self._delay
            noted[key] = found
            self._changed.notify()

    @staticmethod
    def _lost(user_id: int, key: ComicKey, reason: str) -> None:
        log.warning(
            "page tracking: the position of user %s in comic %s was not saved (%s)",
            user_id,
            key.comic_id,
            reason,
        )

    # --- the writer thread -------------------------------------------------------------------

    def _due_in(self) -> float | None:
        # Called with ``_changed`` held.
        dues = [found.due for noted in self._noted.values() for found in noted.values()]
        if not dues:
            return None
        return max(0.0, min(dues) - self._timer())

    def _start(self) -> None:
        # Called with ``_changed`` held.
        self._thread = threading.Thread(target=self._run, name="page-tracking", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            with self._changed:
                while True:
                    if self._stopping:
                        return
                    wait = self._due_in()
                    if wait is not None and wait <= 0:
                        break
                    self._changed.wait(wait)
            try:
                self.flush_due()
            except Exception:  # pragma: no cover - _write never raises; a guard all the same
                log.exception("page tracking: a flush failed")
