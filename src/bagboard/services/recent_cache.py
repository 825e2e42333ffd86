"""A small memo for values read on every request (tokens, users, libraries, settings).

A running server reads the same few rows for every request; keeping them takes those reads off
the hot path. A kept value stands while the change feed's version of its kind is the one it was
read at (``ports/change_feed.py``): a change committed by any process (the ``bagboard`` command
revoking a token, another server process disabling a library) ends it on the next request.
Changes made through the same process also call ``forget`` and apply at once. A value is kept
no longer than ``Freshness.lifetime``: long while the feed follows changes as they happen (a
bound should a notification ever be lost), short while it does not. A cache made ``untimed``
keeps a value for as long as its version stands while the feed follows, as the answers of
``kept_answers.py`` are kept, and reads no clock then: what nothing but the settings guard (the
saved browse mode, read for every ``/auth/ping``) needs no bound beyond the feed's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from bagboard.ports.change_feed import Change, ChangeFeed
from bagboard.ports.clock import Clock

__all__ = ["FOLLOWING_LIFETIME", "UNCACHED", "UNFOLLOWED_LIFETIME", "Freshness", "RecentCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

FOLLOWING_LIFETIME = timedelta(seconds=60)
UNFOLLOWED_LIFETIME = timedelta(milliseconds=500)


@dataclass(frozen=True, slots=True)
class Freshness:
    """How long what was read stays true: while ``changes`` shows no change of its kind, and
    for ``following`` at most (``unfollowed`` while the feed cannot tell every change)."""

    changes: ChangeFeed
    following: timedelta = FOLLOWING_LIFETIME
    unfollowed: timedelta = UNFOLLOWED_LIFETIME

    def lifetime(self) -> timedelta:
        return self.following if self.changes.following() else self.unfollowed


class _NoChanges(ChangeFeed):
    """A feed that tells nothing, for ``UNCACHED``."""

    def version(self, change: Change) -> int:
        return 0

    def following(self) -> bool:
        return False

    def noted(self, change: Change) -> None:
        return None

    def close(self) -> None:
        return None


# Keeps nothing: every ``get`` loads (Python callers and tests that want no memo).
UNCACHED = Freshness(_NoChanges(), timedelta(0), timedelta(0))


class RecentCache(Generic[K, V]):
    """Values by key, each kept with the time and the version of ``change`` it was read at."""

    def __init__(
        self,
        clock: Clock,
        freshness: Freshness,
        change: Change,
        max_entries: int = 4096,
        *,
        untimed: bool = False,
    ) -> None:
        self._clock = clock
        self._changes = freshness.changes
        # None: no bound while the feed follows (``untimed``).
        self._following: timedelta | None = None if untimed else freshness.following
        self._unfollowed: timedelta | None = freshness.unfollowed
        self._change = change
        self._max = max_entries
        self._entries: dict[K, tuple[datetime, int, V]] = {}
        self._lock = threading.Lock()

    def version(self) -> int:
        """The version of this cache's kind of change now."""
        return self._changes.version(self._change)

    def get(self, key: K, load: Callable[[], V], now: datetime | None = None) -> V:
        """The remembered value, or ``load()``, remembered; ``now`` is the clock's time, when
        the caller has just read it."""
        # The version first: a change committed while ``load`` runs moves it on after this.
        changes = self._changes
        version = changes.version(self._change)
        # One dict read needs no lock (it is atomic under the GIL); writes below take it.
        hit = self._entries.get(key)
        if hit is not None and hit[1] == version:
            # ``Freshness.lifetime``, in line: this runs for every request, some twice.
            lifetime = self._following if changes.following() else self._unfollowed
            if lifetime is None:
                return hit[2]
            if now is None:
                now = self._clock.now()
            if now - hit[0] < lifetime:
                return hit[2]
        if now is None:
            now = self._clock.now()
        value = load()
        with self._lock:
            if len(self._entries) >= self._max:
                # Simple and bounded: a full cache starts over rather than tracking recency.
                self._entries.clear()
            self._entries[key] = (now, version, value)
        return value

    def put(self, key: K, value: V) -> None:
        """Replace a remembered value (kept with the time and version it was read at)."""
        with self._lock:
            if key in self._entries:
                read_at, version, _ = self._entries[key]
                self._entries[key] = (read_at, version, value)

    def forget(self, key: K | None = None) -> None:
        """Drop one key, or everything: this process has just written a change of the kind.
        The feed is told too, so that what is kept elsewhere under that kind (the answers of
        ``kept_answers.py``) goes at once, before another process's notification would say so
        (on PostgreSQL it comes a little after the commit)."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
        self._changes.noted(self._change)
