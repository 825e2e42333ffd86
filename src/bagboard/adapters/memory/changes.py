"""The change feed of memory storage: one process, nothing to listen to.

Writes through the services forget what they change at once (``RecentCache.forget``); what no
write forgets (index rows kept by the issue and catalog services) is kept briefly, as
``following`` is False. ``noted`` moves a kind on, for tests that play another process.
"""

from __future__ import annotations

from threading import Lock

from bagboard.ports.change_feed import Change, ChangeFeed

__all__ = ["MemoryChangeFeed"]


class MemoryChangeFeed(ChangeFeed):
    def __init__(self, *, following: bool = False) -> None:
        self._numbers = dict.fromkeys(Change, 0)
        self._following = following
        self._lock = Lock()

    def version(self, change: Change) -> int:
        return self._numbers[change]

    def versions(self) -> tuple[int, ...]:
        numbers = self._numbers
        return tuple(numbers[change] for change in Change)

    def following(self) -> bool:
        return self._following

    def noted(self, change: Change) -> None:
        with self._lock:
            self._numbers[change] += 1

    def close(self) -> None:
        return None
