from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Sequence

from bagboard.ports.change_watcher import ChangeWatcher

__all__ = ["MemoryWatcher"]


class MemoryWatcher(ChangeWatcher):
    """A watcher that reports exactly the changes it is told about with ``notify``."""

    def __init__(self, *, tick_seconds: float = 0.05) -> None:
        self._queue: queue.Queue[frozenset[str]] = queue.Queue()
        self._tick = tick_seconds

    def notify(self, paths: Iterable[str]) -> None:
        self._queue.put(frozenset(paths))

    def watch(self, roots: Sequence[str], stop: threading.Event) -> Iterator[frozenset[str]]:
        prefixes = tuple(root.rstrip("/") + "/" for root in roots)
        while not stop.is_set():
            try:
                batch = self._queue.get(timeout=self._tick)
            except queue.Empty:
                yield frozenset()
                continue
            yield frozenset(p for p in batch if p.startswith(prefixes) or p in roots)
