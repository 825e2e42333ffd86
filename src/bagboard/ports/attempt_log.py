"""Failed sign-ins shared by the processes of one server (``serve --workers N``), so that the
throttle (``services/sign_in_limits.py``) counts every failure whichever worker saw it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["AttemptLog"]


class AttemptLog(Protocol):
    """The times of recent failures per key (a user name, an address), as every process sharing
    the log wrote them. It may drop old times; it never raises."""

    def add(self, key: str, at: datetime) -> None:
        """Record a failure of ``key`` at ``at``."""
        ...

    def times(self, key: str) -> list[datetime]:
        """The failures of ``key`` kept, in the order recorded (the last ones at least)."""
        ...

    def forget(self, key: str) -> None:
        """Drop every failure of ``key``."""
        ...
