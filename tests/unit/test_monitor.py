from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import NamedTuple

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.watch import MemoryWatcher
from bagboard.domain.errors import InvalidPath, StorageUnavailable
from bagboard.domain.model import Library
from bagboard.services.monitor import LibraryMonitor, libraries_touched
from bagboard.services.scan.scanner import ScanReport


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, library: Library) -> object:
        with self.lock:
            self.calls.append(library.name)
        if library.name in self.fail:
            raise InvalidPath("library folder is missing")
        return None

    def snapshot(self) -> list[str]:
        with self.lock:
            return list(self.calls)


class Rig(NamedTuple):
    store: MemoryLibraryStore
    watcher: MemoryWatcher
    recorder: Recorder
    clock: ManualClock
    monitor: LibraryMonitor


@pytest.fixture
def setup() -> Iterator[Rig]:
    store = MemoryLibraryStore()
    store.add("a", "/lib/a")
    store.add("b", "/lib/b")
    watcher = MemoryWatcher(tick_seconds=0.01)
    recorder = Recorder()
    clock = ManualClock()
    monitor = LibraryMonitor(store, watcher, recorder, clock, rescan_interval=timedelta(hours=6))
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(stop,), daemon=True)
    thread.start()
    yield Rig(store, watcher, recorder, clock, monitor)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_scans_everything_at_start_then_only_what_changed(setup: Rig) -> None:
    _, watcher, recorder, _, _ = setup
    wait_until(lambda: recorder.snapshot() == ["a", "b"])
    watcher.notify(["/lib/b/Marvel/x.cbz"])
    wait_until(lambda: recorder.snapshot() == ["a", "b", "b"])
    watcher.notify(["/elsewhere/y.cbz"])
    time.sleep(0.1)
    assert recorder.snapshot() == ["a", "b", "b"]


def test_interval_triggers_a_full_rescan(setup: Rig) -> None:
    _, _, recorder, clock, _ = setup
    wait_until(lambda: len(recorder.snapshot()) == 2)
    clock.advance(timedelta(hours=6, seconds=1))
    wait_until(lambda: recorder.snapshot()[:4] == ["a", "b", "a", "b"])


def test_new_library_is_scanned_and_watched(setup: Rig) -> None:
    store, watcher, recorder, _, _ = setup
    wait_until(lambda: len(recorder.snapshot()) == 2)
    store.add("c", "/lib/c")
    wait_until(lambda: recorder.snapshot()[2:5] == ["a", "b", "c"])
    watcher.notify(["/lib/c/new.cbz"])
    wait_until(lambda: recorder.snapshot()[-1:] == ["c"] and len(recorder.snapshot()) == 6)


def test_a_failing_library_does_not_stop_the_others(setup: Rig) -> None:
    _, watcher, recorder, _, monitor = setup
    wait_until(lambda: len(recorder.snapshot()) == 2)
    recorder.fail.add("a")
    watcher.notify(["/lib/a/x.cbz", "/lib/b/y.cbz"])
    wait_until(lambda: recorder.snapshot()[2:] == ["a", "b"])
    assert monitor.scans_completed >= 4


class FlakyStore(MemoryLibraryStore):
    """A library store whose database can be made unreachable."""

    down = False

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        if self.down:
            raise StorageUnavailable("the database is unavailable; try again")
        return super().list(enabled_only=enabled_only)


def test_an_unreachable_database_does_not_stop_the_watch() -> None:
    store = FlakyStore()
    store.add("a", "/lib/a")
    watcher = MemoryWatcher(tick_seconds=0.01)
    recorder = Recorder()
    monitor = LibraryMonitor(store, watcher, recorder, ManualClock())
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_until(lambda: recorder.snapshot() == ["a"])
        store.down = True
        watcher.notify(["/lib/a/x.cbz"])
        wait_until(lambda: recorder.snapshot() == ["a", "a"])  # scanned as known before
        store.down = False
        watcher.notify(["/lib/a/y.cbz"])
        wait_until(lambda: recorder.snapshot() == ["a", "a", "a"])
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=5)


def test_libraries_touched() -> None:
    libs = [Library(1, "a", "/lib/a"), Library(2, "ab", "/lib/ab")]
    assert libraries_touched(libs, ["/lib/ab/x.cbz"]) == [libs[1]]
    assert libraries_touched(libs, ["/lib/a"]) == [libs[0]]
    assert libraries_touched(libs, []) == []


def test_each_scan_and_each_change_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryLibraryStore()
    store.add("Comics", "/lib/comics")
    watcher = MemoryWatcher(tick_seconds=0.01)
    report = ScanReport(
        new=3, changed=1, moved=0, removed=2, unreadable=1, unchanged=5, folders=4, elapsed=0.5
    )
    scanned: list[str] = []

    def scan(library: Library) -> ScanReport:
        scanned.append(library.name)
        return report

    monitor = LibraryMonitor(store, watcher, scan, ManualClock())
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(stop,), daemon=True)
    with caplog.at_level(logging.INFO, logger="bagboard.services.monitor"):
        thread.start()
        wait_until(lambda: len(scanned) == 1)
        watcher.notify(["/lib/comics/a.cbz", "/lib/comics/b.cbz"])
        wait_until(lambda: len(scanned) == 2)
        stop.set()
        thread.join(timeout=5)
    records = [r.__dict__ for r in caplog.records if r.name == "bagboard.services.monitor"]
    scans = [r for r in records if r["msg"].startswith("scanned")]
    assert len(scans) == 2
    assert (scans[0]["library"], scans[0]["new"], scans[0]["removed"], scans[0]["files"]) == (
        "Comics",
        3,
        2,
        9,
    )
    assert [r["paths"] for r in records if r["msg"] == "files changed"] == [2]
