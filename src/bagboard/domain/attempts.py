"""The sign-in throttle's rule: a sliding window of recent failures per key.

A key is an address or a user name. Once ``limit`` failures fall within ``window``, the key
is refused until the oldest of them leaves the window. Pure: the caller keeps the failure
times and passes the current time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["ADDRESS_LIMIT", "USER_LIMIT", "WINDOW", "AttemptLimit"]

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class AttemptLimit:
    """At most ``limit`` failures within ``window``."""

    limit: int
    window: timedelta = WINDOW

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= timedelta(0):
            raise ValueError("a limit needs at least one attempt and a positive window")

    def recent(self, failures: Sequence[datetime], now: datetime) -> list[datetime]:
        """The failures still inside the window at ``now``, oldest first."""
        start = now - self.window
        return sorted(t for t in failures if start < t <= now)

    def retry_after(self, failures: Sequence[datetime], now: datetime) -> int | None:
        """Whole seconds until another attempt is allowed, or None when one is allowed now."""
        recent = self.recent(failures, now)
        if len(recent) < self.limit:
            return None
        # The attempt is allowed again once enough of the oldest failures leave the window.
        frees_at = recent[len(recent) - self.limit] + self.window
        return max(1, math.ceil((frees_at - now).total_seconds()))


# Per user name: guessing one account's password is slow. Per address: a little more room,
# for a household behind one router with several readers typing.
USER_LIMIT = AttemptLimit(5)
ADDRESS_LIMIT = AttemptLimit(20)
