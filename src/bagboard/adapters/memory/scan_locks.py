"""Scan locks within one process: a library kept in memory is never shared with another."""

from __future__ import annotations

import threading

from bagboard.ports.scan_locks import ScanLock, ScanLocks

__all__ = ["LockTable", "MemoryScanLocks"]


class LockTable:
    """The locks of one world: two ``MemoryScanLocks`` on one table act as two processes."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.holders: dict[ScanLock, MemoryScanLocks] = {}


class MemoryScanLocks(ScanLocks):
    def __init__(self, holder: str, table: LockTable | None = None) -> None:
        self.description = holder
        self._table = table or LockTable()

    def try_hold(self, lock: ScanLock) -> bool:
        with self._table.guard:
            if lock in self._table.holders:
                return False
            self._table.holders[lock] = self
            return True

    def still_held(self, lock: ScanLock) -> bool:
        with self._table.guard:
            return self._table.holders.get(lock) is self

    def release(self, lock: ScanLock) -> None:
        with self._table.guard:
            if self._table.holders.get(lock) is self:
                del self._table.holders[lock]

    def holder(self, lock: ScanLock) -> str | None:
        with self._table.guard:
            owner = self._table.holders.get(lock)
            return None if owner is None else owner.description

    def close(self) -> None:
        with self._table.guard:
            for lock in [k for k, v in self._table.holders.items() if v is self]:
                del self._table.holders[lock]

    def lose(self) -> None:
        """Drop every lock of this holder as a dying process would (tests of the loss)."""
        self.close()
