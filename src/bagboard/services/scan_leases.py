"""One scan of a library at a time, across every process sharing the database.

Whoever scans a library (the scanning server's monitor, an owner's "scan now" in any server
process, ``bagboard scan``, a Python program) holds the library's scan lease meanwhile
(``ports/scan_locks.py``). One who finds it held waits, asking again every
``LEASE_POLL_SECONDS``, or gives up at once when told not to wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bagboard.domain.model import Library
from bagboard.ports.scan_locks import ScanLock, ScanLocks

__all__ = ["LEASE_POLL_SECONDS", "OTHER_PROCESS", "ScanLeases", "Waiting"]

LEASE_POLL_SECONDS = 1.0
# Said of a holder that cannot be named (it let go between the two questions, say).
OTHER_PROCESS = "another process"

# Told, once, who holds the lease when a scan has to wait for it (or gives up).
Waiting = Callable[[str], object]


class ScanLeases:
    def __init__(self, locks: ScanLocks, *, poll_seconds: float = LEASE_POLL_SECONDS) -> None:
        self._locks = locks
        self._poll = poll_seconds

    @contextmanager
    def held(
        self,
        library: Library,
        *,
        wait: bool = True,
        waiting: Waiting | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[bool]:
        """Hold the library's scan lease for the block, which gets True; False when the lease
        was not taken: held elsewhere and ``wait`` is False, or ``stop`` was set while waiting.
        ``waiting`` hears the holder's description first. Raises ``StorageUnavailable``."""
        lock = ScanLock.lease(library.id)
        taken = self.take(lock, wait=wait, waiting=waiting, stop=stop)
        try:
            yield taken
        finally:
            if taken:
                self._locks.release(lock)

    def take(
        self,
        lock: ScanLock,
        *,
        wait: bool = True,
        waiting: Waiting | None = None,
        stop: threading.Event | None = None,
    ) -> bool:
        """Take ``lock``, waiting for its holder as ``held`` does; True when taken."""
        pause = stop or threading.Event()
        told = False
        while not self._locks.try_hold(lock):
            if not told:
                told = True
                if waiting is not None:
                    waiting(self._locks.holder(lock) or OTHER_PROCESS)
            if not wait or pause.wait(self._poll):
                return False
        return True

    def holder(self, library: Library) -> str | None:
        """Who scans the library now, if anyone can be named."""
        return self._locks.holder(ScanLock.lease(library.id))
