"""Persistent series ids kept in memory (``ports/series_ids.py``)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from bagboard.ports.series_ids import SeriesIds, SeriesKey

__all__ = ["MemorySeriesIds"]


class MemorySeriesIds(SeriesIds):
    def __init__(self) -> None:
        self._ids: dict[SeriesKey, int] = {}
        self._keys: dict[int, SeriesKey] = {}
        self._lock = threading.Lock()

    def ids(self, keys: Sequence[SeriesKey]) -> dict[SeriesKey, int]:
        with self._lock:
            for key in keys:
                if key not in self._ids:
                    series_id = len(self._keys) + 1
                    self._ids[key] = series_id
                    self._keys[series_id] = key
            return {key: self._ids[key] for key in keys}

    def key(self, series_id: int) -> SeriesKey | None:
        with self._lock:
            return self._keys.get(series_id)
