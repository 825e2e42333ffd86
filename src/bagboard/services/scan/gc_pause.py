"""Pausing Python's cyclic garbage collector around allocation-heavy work that makes no cycles.

A scan's walk builds a few small objects per comic and frees none of them. Every few hundred
allocations the collector runs, and every so often it traverses everything the process holds,
including the index snapshot it has just loaded: about a fifth of a rescan of an unchanged
library (bench/scan.py). Reference counting still frees everything as usual meanwhile; only
cycles wait for the collector to come back.

The writes that follow (reading archives, writing the index) make cycles now and then, so
the collector stays on; but its full collections traverse everything the process holds: every
module the command or the server imported, SQLAlchemy's tables, and the walk and plan of the
scan itself (a first import of 20,000 comics: 165,000 objects before the walk, a full
collection of 70-290 ms during the writes). ``older_objects_set_aside`` freezes those
(``gc.freeze``) while the scan writes, so the collector traverses only what the writes made,
and gives them back after.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "freeze_for_good", "older_objects_set_aside"]

_lock = threading.Lock()
_holders = 0  # pauses in progress, in any thread
_was_enabled = False  # the collector's state before the first of them
_freezers = 0  # scans with the older objects set aside, in any thread
_froze = False  # whether the first of them froze anything (and the last gives it back)


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


@contextmanager
def older_objects_set_aside() -> Iterator[None]:
    """Inside the block, the collector leaves alone every object that existed when it began
    (cycles among them wait until it ends); what the block makes is collected as usual.
    Nested or concurrent blocks give the objects back when the last one ends.

    A process that froze objects itself is left as it is: the HTTP app freezes what it holds
    once started (``adapters/http/app.py``), and giving everything back after a scan would
    undo that, while freezing more without giving it back would keep cycles forever."""
    global _freezers, _froze
    with _lock:
        if _freezers == 0:
            _froze = gc.get_freeze_count() == 0
            if _froze:
                gc.freeze()
        _freezers += 1
    try:
        yield
    finally:
        with _lock:
            _freezers -= 1
            if _freezers == 0 and _froze:
                gc.unfreeze()


def freeze_for_good() -> None:
    """``gc.freeze`` what exists now, for the life of the process (the started HTTP app:
    ``adapters/http/app.py``). A scan that set older objects aside meanwhile (a server's
    first scan runs beside its start) leaves everything frozen at its end, rather than give
    back these too."""
    global _froze
    with _lock:
        gc.freeze()
        _froze = False
