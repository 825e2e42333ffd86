"""Pausing Python's cyclic garbage collector around allocation-heavy work that makes no cycles.

A scan's walk builds a few small objects per comic and frees none of them. Every few hundred
allocations the collector runs, and every so often it traverses everything the process holds,
including the index snapshot it has just loaded: about a fifth of a rescan of an unchanged
library (bench/scan.py). Reference counting still frees everything as usual meanwhile; only
cycles wait for the collector to come back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_holders = 0  # pauses in progress, in any thread
_was_enabled = False  # the collector's state before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block. Nested or concurrent pauses (two scans in two
    threads) resume collection when the last one ends, and only if it was on to begin with."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
