"""The collector pause used by scans: nested and concurrent pauses, and the state it restores."""

from __future__ import annotations

import gc
import posixpath
import threading
import weakref
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.files import parent_folder
from bagboard.domain.model import Library
from bagboard.services.scan.gc_pause import (
    collector_paused,
    freeze_for_good,
    older_objects_set_aside,
)
from bagboard.services.scan.scanner import Scanner
from tests.unit.scan_support import RecordingIndex, utc, write_cbz


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_collection() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_resume_when_the_last_one_ends() -> None:
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second pause is still running
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_pauses_in_many_threads_leave_the_collector_on() -> None:
    start = threading.Barrier(8)

    def scan() -> None:
        start.wait()
        for _ in range(200):
            with collector_paused():
                pass

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_objects_older_than_the_block_are_left_alone_and_given_back_after() -> None:
    older = weakref.ref(_Cycle())  # garbage only the collector can free
    with older_objects_set_aside():
        assert gc.get_freeze_count() > 0
        newer = weakref.ref(_Cycle())
        gc.collect()
        assert newer() is None  # what the block makes is collected as usual
        assert older() is not None  # what came before is not traversed
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert older() is None


def test_overlapping_blocks_give_the_objects_back_when_the_last_one_ends() -> None:
    first, second = older_objects_set_aside(), older_objects_set_aside()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_freeze_count() > 0  # the second block is still running
    second.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    "path", ["/", "/comics", "/comics/Marvel", "/comics/Marvel/X-Men (1991)/X-Men 001.cbz"]
)
def test_parent_folder_is_dirname_for_normalised_paths(path: str) -> None:
    assert parent_folder(path) == posixpath.dirname(path)


def test_objects_a_process_froze_itself_stay_frozen() -> None:
    # The HTTP app freezes what it holds once started; a scan in its process must not undo it.
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with older_objects_set_aside():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_a_freeze_for_good_during_a_scan_outlives_the_scan() -> None:
    # A server's first scan runs beside its start: the app freezing what it holds meanwhile
    # must not be undone when the scan gives its objects back.
    try:
        with older_objects_set_aside():
            freeze_for_good()
        assert gc.get_freeze_count() > 0  # still frozen (less what was freed meanwhile)
    finally:
        gc.unfreeze()


def test_a_scan_writes_with_its_walk_and_plan_set_aside(tmp_path: Path) -> None:
    frozen: list[int] = []

    class Watching(RecordingIndex):
        def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
            frozen.append(gc.get_freeze_count())
            super().apply(library_id, changes, at)

    for n in range(3):
        write_cbz(tmp_path / "lib" / "S" / f"S {n}.cbz", series="S", number=str(n))
    index = Watching()
    library = Library(1, "Comics", str(tmp_path / "lib"))
    scanner = Scanner(
        index, LocalFileTree(), FileArchiveReader(), ManualClock(utc(2026)), batch_size=2
    )
    assert scanner.scan(library).new == 3
    assert len(frozen) == 2 and all(frozen)  # every batch written with the older objects aside
    assert gc.get_freeze_count() == 0
