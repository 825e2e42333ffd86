"""``MemoryRenditionCache``: renditions in a dictionary, least recently used evicted first.

Besides being the disk cache's twin in tests, a small one sits in front of the disk cache on a
running server, so a cover asked for again is answered without touching the disk.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from bagboard.domain.images import FileStamp, RenditionKey
from bagboard.ports.rendition_cache import RenditionCache

__all__ = ["MemoryRenditionCache"]

_Slot = tuple[int, int, int]  # comic id, page, size


class MemoryRenditionCache(RenditionCache):
    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._entries: OrderedDict[_Slot, tuple[FileStamp, bytes]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: RenditionKey) -> bytes | None:
        slot = (key.comic_id, key.page, key.size)
        with self._lock:
            found = self._entries.get(slot)
            if found is None or found[0] != key.stamp:
                return None
            self._entries.move_to_end(slot)
            return found[1]

    def put(self, key: RenditionKey, data: bytes) -> None:
        slot = (key.comic_id, key.page, key.size)
        with self._lock:
            old = self._entries.pop(slot, None)
            if old is not None:
                self._total -= len(old[1])
            if len(data) > self._max:
                return
            self._entries[slot] = (key.stamp, data)
            self._total += len(data)
            while self._total > self._max:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._total -= len(evicted)

    def total_bytes(self) -> int:
        with self._lock:
            return self._total
