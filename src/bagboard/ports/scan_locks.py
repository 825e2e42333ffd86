from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["SCANNER_LEAD", "ScanLock", "ScanLocks"]


@dataclass(frozen=True, slots=True)
class ScanLock:
    """One lock shared by every process using the same database: the scanner lead
    (``library_id`` None) or the scan lease of one library."""

    library_id: int | None = None

    @classmethod
    def lease(cls, library_id: int) -> ScanLock:
        """The lock held for the duration of any scan of the library."""
        return cls(library_id)

    def __str__(self) -> str:
        return "the scanner lead" if self.library_id is None else f"library {self.library_id}"


# The one process that scans at start, watches the folders and rescans (``bagboard serve``).
SCANNER_LEAD = ScanLock()


class ScanLocks(Protocol):
    """Locks held across the processes (and machines) that share one database, so that one
    process scans and watches and no library is scanned twice at once.

    One object is one holder, named by the short description it was built with ("bagboard
    serve (pid 1234 on host nas)"): never a path, an address or a credential. A lock is never
    re-entered: trying one this object holds already fails as it would for another process.
    A holder that dies (killed outright, its machine or its database connection gone) loses
    its locks without releasing them.
    """

    def try_hold(self, lock: ScanLock) -> bool:
        """Take ``lock`` if no holder has it, without waiting; True when taken. Raises
        ``StorageUnavailable`` when the database cannot be asked."""
        ...

    def still_held(self, lock: ScanLock) -> bool:
        """Whether this object holds ``lock`` still: False once released, or once lost with
        the connection or file that held it (another holder may have it then). Never raises."""
        ...

    def release(self, lock: ScanLock) -> None:
        """Let ``lock`` go; nothing when this object does not hold it. Never raises."""
        ...

    def holder(self, lock: ScanLock) -> str | None:
        """The description of whoever holds ``lock`` (this object included), or None when it
        is free or its holder cannot be told. Raises ``StorageUnavailable`` like ``try_hold``."""
        ...

    def close(self) -> None:
        """Release every lock this object holds and what it holds them with."""
        ...
