"""A small time-bounded memo for values read on every request (tokens, libraries, settings).

A running server reads the same few rows for every request; keeping them for a couple of
seconds takes those reads off the hot path, while a change made by another process (the CLI
revoking a token, disabling a library) still reaches the server within ``ttl``. Changes made
through the same process call ``forget`` and apply at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from bagboard.ports.clock import Clock

__all__ = ["DEFAULT_TTL", "RecentCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

DEFAULT_TTL = timedelta(seconds=2)


class RecentCache(Generic[K, V]):
    def __init__(self, clock: Clock, ttl: timedelta = DEFAULT_TTL, max_entries: int = 4096) -> None:
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._entries: dict[K, tuple[datetime, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The remembered value, or ``load()`` remembered for ``ttl``."""
        now = self._clock.now()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now < hit[0]:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self._max:
                # Simple and bounded: a full cache starts over rather than tracking recency.
                self._entries.clear()
            self._entries[key] = (now + self._ttl, value)
        return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if key in self._entries:
                self._entries[key] = (self._entries[key][0], value)

    def forget(self, key: K | None = None) -> None:
        """Drop one key, or everything."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
