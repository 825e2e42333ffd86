"""A feed's own version numbers, moved on by what the database's change counters say.

The numbers handed out are this process's, one counter per kind that only ever grows: a kind
moves on when its counter in ``change_counters`` is seen at a new value, when a notification
names it, or when nothing can be known (the table unreadable: every kind moves on, so nothing
kept is trusted). A kind the database keeps no counter for (``uncounted``: PostgreSQL tells
reading changes by notification alone) moves on at every reading of the counters, since they
cannot say whether it changed. They never go back, whatever the database's counters do (a
table emptied by hand restarts them), so a number once handed out names one state only.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Collection, Mapping
from threading import Lock

from sqlalchemy import select

from bagboard.adapters.storage.db.tables import change_counters
from bagboard.ports.change_feed import Change

__all__ = ["COUNTERS", "Versions", "reset_after_fork"]

COUNTERS = select(change_counters.c.kind, change_counters.c.value)


def reset_after_fork(method: Callable[[], None]) -> None:
    """Call the bound ``method`` in a child process forked from this one: a thread does not
    cross a fork and a connection must not be shared across one, so a feed starts again."""
    ref = weakref.WeakMethod(method)

    def reset() -> None:
        found = ref()
        if found is not None:
            found()

    os.register_at_fork(after_in_child=reset)


class Versions:
    def __init__(self, uncounted: Collection[Change] = ()) -> None:
        # Changed in place, never replaced: ``numbers`` may be kept and read (not written).
        self._numbers = dict.fromkeys(Change, 0)
        self.numbers: Mapping[Change, int] = self._numbers
        self._uncounted = frozenset(uncounted)
        self._seen: dict[str, int] | None = None
        self._lock = Lock()

    def get(self, change: Change) -> int:
        return self._numbers[change]

    def all(self) -> tuple[int, ...]:
        """Every kind's number, in the order of ``Change``."""
        numbers = self._numbers
        return tuple(numbers[change] for change in Change)

    def observe(self, counters: Mapping[str, int] | None) -> None:
        """The counters as read now (None: they could not be read)."""
        with self._lock:
            seen = self._seen
            for change in Change:
                if (
                    counters is None
                    or seen is None
                    or change in self._uncounted
                    or counters.get(change) != seen.get(change)
                ):
                    self._numbers[change] += 1
            self._seen = None if counters is None else dict(counters)

    def forked(self) -> None:
        """In a forked child (one thread, a lock perhaps copied held): everything moves on."""
        self._lock = Lock()
        self.observe(None)

    def bump(self, change: Change) -> None:
        with self._lock:
            self._numbers[change] += 1
