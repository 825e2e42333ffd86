"""DTOs kept between requests while what they were made from is the same (see
``series_json.py`` and ``book_json.py``)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

__all__ = ["Kept"]

K = TypeVar("K", bound=Hashable)
S = TypeVar("S")
V = TypeVar("V")


class Kept(Generic[K, S, V]):
    """The last ``size`` values by key, each with the stamp it was made from, and reused
    while ``same(kept stamp, stamp asked)`` holds."""

    def __init__(self, size: int, same: Callable[[S, S], bool]) -> None:
        self._size = size
        self._same = same
        self._entries: OrderedDict[K, tuple[S, V]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K, stamp: S, make: Callable[[], V]) -> V:
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and self._same(entry[0], stamp):
            return entry[1]
        found = make()
        with self._lock:
            self._entries[key] = (stamp, found)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return found
