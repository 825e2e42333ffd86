"""The process pool that reads archives while scanning, and the ``InspectMap`` over it.

Reading ComicInfo and page lists is CPU work under the GIL, so processes (not threads) are
what scale it. The container owns the pool (``bootstrap``); the scanner sees only the map.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from typing import Protocol, TypeVar

from bagboard.ports.inspect_map import InspectMap
from bagboard.workers import exit_with

__all__ = ["POOL_THRESHOLD", "PoolMap", "PoolSource", "inspect_pool"]

_A = TypeVar("_A")
_R = TypeVar("_R")

# Below this many files a pool costs more than it saves: starting the worker processes takes
# about as long as reading a few hundred comics inline (bench/scan.py, "touching 1%" row).
POOL_THRESHOLD = 500


def inspect_pool(workers: int) -> Iterator[Executor | None]:
    """A process pool of ``workers`` processes for reading archives; ``workers=0`` reads
    serially. ``forkserver`` keeps the server's threads out of the children."""
    if workers <= 0:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        # Workers outlive a server killed outright unless they watch it (``workers``).
        initializer=exit_with,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    finally:
        with contextlib.suppress(OSError):  # a broken pool may fail to close its pipes
            pool.shutdown(wait=True, cancel_futures=True)


class PoolSource(Protocol):
    """Where a ``PoolMap`` gets its pool: the container's resource provider has this shape."""

    def __call__(self) -> Executor | None:
        """The pool, started on first call; None when archives are read in this process."""

    def shutdown(self) -> object:
        """Discard the pool, so that the next call starts a fresh one."""


class PoolMap(InspectMap):
    """``InspectMap`` over an optional pool: small batches run inline, big ones in the pool.

    A pool that breaks (a worker killed) is discarded, so the next batch gets a fresh one.
    """

    def __init__(self, pool: PoolSource) -> None:
        self._pool = pool

    def __call__(self, fn: Callable[[_A], _R], items: Iterable[_A], /) -> Iterator[_R]:
        work = list(items)
        if len(work) < POOL_THRESHOLD:
            return map(fn, work)
        pool = self._pool()
        if pool is None:
            return map(fn, work)
        return self._guarded(pool.map(fn, work, chunksize=8))

    def _guarded(self, results: Iterator[_R]) -> Iterator[_R]:
        try:
            yield from results
        except BrokenExecutor:
            self._pool.shutdown()
            raise
