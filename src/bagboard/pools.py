"""The process pool that reads archives while scanning, and the ``InspectMap`` over it.

Reading ComicInfo and page lists is CPU work under the GIL, so processes (not threads) are
what scale it. The container owns the pool (``bootstrap``); the scanner sees only the map.

The scanner maps over every file it opens at once and writes the index while the pool reads
on, so the map keeps a bounded number of files queued ahead of the reader (``AHEAD``) rather
than submitting a whole library: the pool stays busy during the writes, and memory holds a
window of results, not all of them. A reader that stops early (a scan stopped or failed)
closes the iterator, which cancels what is still queued.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from typing import Protocol, TypeVar

from bagboard.ports.inspect_map import InspectMap
from bagboard.workers import exit_with

__all__ = ["AHEAD", "CHUNK", "POOL_THRESHOLD", "PoolMap", "PoolSource", "cpu_count", "inspect_pool"]

log = logging.getLogger(__name__)

_A = TypeVar("_A")
_R = TypeVar("_R")

# Below this many files a pool costs more than it saves: starting the worker processes takes
# about as long as reading a few hundred comics inline (bench/scan.py, "touching 1%" row).
POOL_THRESHOLD = 500
# Items per task sent to a worker, and how many items may be queued or done but not yet taken:
# two scan batches, so the pool reads the next batch while the index writes this one.
# A worker gets its next task from threads of this process, which wait for the GIL while the
# scan writes the index; at 16 files a task (6 ms of reading) the workers of a first import
# sat idle 16-18 % of the time between tasks, at 64 7-9 % (20,000 comics, 2 CPUs).
CHUNK = 64
AHEAD = 1024

# What a worker imports anyway: the forkserver imports it once, and every worker forked from
# it starts with it loaded instead of importing it again.
_WORKER_MODULES = (
    "bagboard.services.scan.reading",
    "bagboard.adapters.archive.reader",
    # The reader imports these when it first opens such a file (``archive/reader.py``).
    "bagboard.adapters.archive.cbr",
    "bagboard.adapters.archive.pdf",
    "bagboard.adapters.filesystem.tree",
)


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity mask, as a container or ``taskset``
    sets it), not every CPU of the machine."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def inspect_pool(workers: int) -> Iterator[Executor | None]:
    """A process pool of ``workers`` processes for reading archives; ``workers=0`` reads
    serially. ``forkserver`` keeps the server's threads out of the children."""
    if workers <= 0:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    # Effective only until the forkserver starts: a host program that started it keeps its
    # own choice.
    context.set_forkserver_preload(["__main__", *_main_imports(), *_WORKER_MODULES])
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


def _main_imports() -> list[str]:
    """What each worker would import to set up its ``__main__`` as ``__mp_main__``
    (multiprocessing's ``spawn.prepare``), loaded once in the forkserver instead.

    A package's ``__main__`` (``python -m bagboard.cli``) is never run again: nothing. Another
    module run with ``-m`` is, after its package. A script is run again whole; the forkserver
    does not load it (its ``main_path`` never arrives), so what a console script such as
    ``bagboard`` imports its ``main`` from is loaded instead.
    """
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name:
        package, _, module = name.rpartition(".")
        return [package] if package and module != "__main__" else []
    entry = getattr(getattr(main, "main", None), "__module__", None)
    return [entry] if isinstance(entry, str) and entry.startswith("bagboard.") else []


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

    def warm(self, items: int) -> None:
        """Start the workers now if ``items`` files will be read (``reading.warm_up``), so
        they start while the scan still walks the library rather than after."""
        if items < POOL_THRESHOLD:
            return
        pool = self._pool()
        if pool is not None:
            # Starting a worker waits for the forkserver, which imports the reading modules
            # first (0.15-0.2 s): a thread waits for it, and the walk goes on meanwhile.
            threading.Thread(target=_start_workers, args=(pool,), daemon=True).start()

    def __call__(self, fn: Callable[[_A], _R], items: Iterable[_A], /) -> Iterator[_R]:
        work = list(items)
        if len(work) < POOL_THRESHOLD:
            return map(fn, work)
        pool = self._pool()
        if pool is None:
            return map(fn, work)
        return self._guarded(pool, fn, work)

    def _guarded(self, pool: Executor, fn: Callable[[_A], _R], work: list[_A]) -> Iterator[_R]:
        try:
            yield from _windowed(pool, fn, work)
        except BrokenExecutor:
            self._pool.shutdown()
            raise


def _start_workers(pool: Executor) -> None:
    try:
        # A task finding no idle worker starts one, up to the pool's size.
        for _ in range(cpu_count()):
            pool.submit(os.getpid)
    except Exception as exc:  # the reads will find out again, and read around it
        log.warning("archive reading pool failed to start (%s)", exc)


def _windowed(pool: Executor, fn: Callable[[_A], _R], work: list[_A]) -> Iterator[_R]:
    """``fn`` of every item in order, in chunks of ``CHUNK``, at most ``AHEAD`` items ahead."""
    chunks = (work[start : start + CHUNK] for start in range(0, len(work), CHUNK))
    queued: deque[Future[list[_R]]] = deque()
    try:
        for chunk in chunks:
            queued.append(pool.submit(_run_chunk, fn, chunk))
            if len(queued) * CHUNK >= AHEAD:
                break
        while queued:
            results = queued.popleft().result()
            chunk = next(chunks, [])
            if chunk:
                queued.append(pool.submit(_run_chunk, fn, chunk))
            yield from results
    finally:
        for future in queued:
            future.cancel()


def _run_chunk(fn: Callable[[_A], _R], chunk: list[_A]) -> list[_R]:
    return [fn(item) for item in chunk]
