"""Persistent series ids kept in memory (``ports/series_ids.py``)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import count

from bagboard.ports.series_ids import SeriesIds, SeriesKey

__all__ = ["MemorySeriesIds"]


class MemorySeriesIds(SeriesIds):
    def __init__(self) -> None:
        self._ids: dict[SeriesKey, int] = {}
        self._keys: dict[int, SeriesKey] = {}
        # Never handed out again, as the SQL sequence: a client may still hold a gone id.
        self._next = count(1)
        self._lock = threading.Lock()

    def ids(self, keys: Sequence[SeriesKey]) -> dict[SeriesKey, int]:
        with self._lock:
            for key in keys:
                if key not in self._ids:
                    series_id = next(self._next)
                    self._ids[key] = series_id
                    self._keys[series_id] = key
            return {key: self._ids[key] for key in keys}

    def key(self, series_id: int) -> SeriesKey | None:
        with self._lock:
            return self._keys.get(series_id)

    def forget_library(self, library_id: int) -> None:
        """The library is gone: its series ids with it, as the SQL rows cascade."""
        with self._lock:
            for series_id, key in list(self._keys.items()):
                if key[0] == library_id:
                    del self._keys[series_id]
                    del self._ids[key]
