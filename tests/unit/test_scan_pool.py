"""A pool of archive readers that breaks mid-scan must not lose the scan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.config import load_settings
from bagboard.domain.model import Library
from bagboard.library import ComicLibrary
from bagboard.pools import POOL_THRESHOLD
from bagboard.services.scan.scanner import Scanner
from tests.unit.scan_support import write_cbz

A = TypeVar("A")
R = TypeVar("R")


class BreaksAfter:
    """An InspectMap that delivers ``good`` results, then fails as a dead pool does."""

    def __init__(self, good: int) -> None:
        self.good = good
        self.calls = 0

    def __call__(self, fn: Callable[[A], R], items: Iterable[A], /) -> Iterator[R]:
        self.calls += 1
        for count, item in enumerate(items):
            if count == self.good:
                raise RuntimeError("A process in the process pool was terminated abruptly")
            yield fn(item)


def test_a_broken_pool_mid_batch_still_indexes_every_comic(tmp_path: Path) -> None:
    for number in range(12):
        write_cbz(
            tmp_path / "Pub" / "Series" / f"Issue {number:02}.cbz", series="S", number=str(number)
        )
    index = MemoryLibraryIndex()
    broken = BreaksAfter(good=5)
    scanner = Scanner(
        index, LocalFileTree(), FileArchiveReader(), ManualClock(), inspect_map=broken, batch_size=4
    )
    report = scanner.scan(Library(1, "Comics", str(tmp_path)))
    # One map over the whole scan, broken in the second batch: the rest of that batch is read
    # in-process, and the pool is asked again from the third batch on.
    assert broken.calls == 2
    assert report.new == 12 and report.unreadable == 0
    snapshot = index.snapshot(1)
    assert len(snapshot.comics) == 12
    comic = index.comic_at(str(tmp_path / "Pub" / "Series" / "Issue 07.cbz"))
    assert comic is not None and comic.page_count == 2 and comic.comic_info is not None


def _die_on_poison(path: str) -> str:
    if path.endswith("poison"):
        os._exit(3)  # what the OOM killer or a crashing decoder looks like from outside
    return path.upper()


def test_a_dead_worker_breaks_the_batch_and_the_next_batch_gets_a_new_pool(tmp_path: Path) -> None:
    app = ComicLibrary.from_settings(load_settings(data_dir=str(tmp_path)), memory=True, workers=1)
    try:
        inspect_map = app.container.inspect_map()
        items = [f"item{n}" for n in range(POOL_THRESHOLD)]
        with pytest.raises(BrokenExecutor):
            list(inspect_map(_die_on_poison, [*items, "poison"]))
        assert list(inspect_map(_die_on_poison, items)) == [item.upper() for item in items]
    finally:
        app.close()


CHILD = """
import contextlib, os, time
from bagboard.pools import inspect_pool
with contextlib.contextmanager(inspect_pool)(2) as pool:
    pids = {pool.submit(os.getpid).result() for _ in range(20)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)
"""


def test_pool_workers_exit_when_the_server_is_killed_outright() -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert workers and all(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "pool workers outlived the killed process"
        time.sleep(0.1)
