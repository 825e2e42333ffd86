"""Scans across processes: each scan holds its library's lease, and one that finds it held
by another process waits for it, QUEUED, then runs; a waiting scan can be stopped."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.scan_locks import LockTable, MemoryScanLocks
from bagboard.domain.errors import ScanStopped
from bagboard.domain.model import Role, User
from bagboard.ports.scan_locks import ScanLock
from bagboard.services.scan_jobs import ScanJobs, ScanState
from bagboard.services.scan_leases import ScanLeases
from tests.unit.web.admin_support import HeldScanner

OWNER = User(1, "owner", Role.OWNER)
ELSEWHERE = "bagboard scan (pid 2 on host nas)"


def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


class World:
    """This process's ScanJobs, and another process holding locks on the same table."""

    def __init__(self) -> None:
        table = LockTable()
        self.other = MemoryScanLocks(ELSEWHERE, table)
        self.mine = MemoryScanLocks("bagboard serve (pid 1 on host nas)", table)
        self.store = MemoryLibraryStore()
        self.store.add("a", "/lib/a")
        self.store.add("b", "/lib/b")
        self.scanner = HeldScanner()
        self.jobs = ScanJobs(
            lambda: self.scanner,
            self.store,
            ManualClock(),
            leases=ScanLeases(self.mine, poll_seconds=0.01),
        )


@pytest.fixture
def world() -> World:
    return World()


def test_a_scan_waits_for_another_process_then_runs(world: World) -> None:
    assert world.other.try_hold(ScanLock.lease(1))
    assert world.jobs.start_for(OWNER, 1)
    _until(lambda: world.jobs.status_for(OWNER, 1).waiting_for is not None)
    waiting = world.jobs.status_for(OWNER, 1)
    assert waiting.state is ScanState.QUEUED and waiting.waiting_for == ELSEWHERE
    assert not world.scanner.started.is_set()
    world.other.release(ScanLock.lease(1))
    assert world.scanner.started.wait(10)
    assert world.mine.still_held(ScanLock.lease(1))  # held while it scans
    assert not world.other.try_hold(ScanLock.lease(1))
    world.scanner.release.set()
    assert world.jobs.wait(1, 10)
    done = world.jobs.status_for(OWNER, 1)
    assert done.state is ScanState.DONE and done.waiting_for is None
    assert world.scanner.scanned == [1]
    assert world.other.try_hold(ScanLock.lease(1))  # let go once done


def test_waiting_on_another_process_holds_up_no_other_library(world: World) -> None:
    assert world.other.try_hold(ScanLock.lease(1))
    assert world.jobs.start_for(OWNER, 1)
    _until(lambda: world.jobs.status_for(OWNER, 1).waiting_for is not None)
    world.scanner.release.set()
    assert world.jobs.start_for(OWNER, 2)
    assert world.jobs.wait(2, 10)
    assert world.scanner.scanned == [2]
    assert world.jobs.status_for(OWNER, 1).state is ScanState.QUEUED
    world.other.release(ScanLock.lease(1))
    assert world.jobs.wait(1, 10)
    assert world.scanner.scanned == [2, 1]


def test_a_waiting_scan_stops_when_told(world: World) -> None:
    assert world.other.try_hold(ScanLock.lease(1))
    library = world.store.get(1)
    assert library is not None
    stop = threading.Event()
    raised: list[BaseException] = []

    def monitor_scan() -> None:
        try:
            world.jobs.scan(library, stop=stop)
        except ScanStopped as exc:
            raised.append(exc)

    thread = threading.Thread(target=monitor_scan)
    thread.start()
    _until(lambda: world.jobs.status_for(OWNER, 1).waiting_for is not None)
    stop.set()
    thread.join(10)
    assert len(raised) == 1
    assert world.jobs.status_for(OWNER, 1).state is ScanState.FAILED
    assert world.scanner.scanned == [] and not world.scanner.started.is_set()
    assert world.other.still_held(ScanLock.lease(1))
    assert world.jobs.wait(1, 0)  # nobody is left waiting on it


def test_two_processes_never_scan_one_library_at_once(world: World) -> None:
    second_scanner = HeldScanner()
    second = ScanJobs(
        lambda: second_scanner,
        world.store,
        ManualClock(),
        leases=ScanLeases(world.other, poll_seconds=0.01),
    )
    assert world.jobs.start_for(OWNER, 1)
    assert world.scanner.started.wait(10)
    assert second.start_for(OWNER, 1)
    _until(lambda: second.status_for(OWNER, 1).waiting_for is not None)
    assert not second_scanner.started.is_set()
    world.scanner.release.set()
    assert second_scanner.started.wait(10)
    second_scanner.release.set()
    assert second.wait(1, 10) and world.jobs.wait(1, 10)
    assert world.scanner.scanned == [1] and second_scanner.scanned == [1]


def test_a_scan_waiting_for_this_process_s_queued_scan_stops_when_told(world: World) -> None:
    assert world.other.try_hold(ScanLock.lease(1))
    assert world.jobs.start_for(OWNER, 1)  # queued behind the other process
    _until(lambda: world.jobs.status_for(OWNER, 1).waiting_for is not None)
    library = world.store.get(1)
    assert library is not None
    stop = threading.Event()
    raised: list[BaseException] = []

    def monitor_scan() -> None:
        try:
            world.jobs.scan(library, stop=stop)
        except ScanStopped as exc:
            raised.append(exc)

    thread = threading.Thread(target=monitor_scan)
    thread.start()
    stop.set()
    thread.join(10)
    assert not thread.is_alive() and len(raised) == 1
    assert world.jobs.status_for(OWNER, 1).state is ScanState.QUEUED  # the owner's still waits
    world.scanner.release.set()
    world.other.release(ScanLock.lease(1))
    assert world.jobs.wait(1, 10)
    assert world.scanner.scanned == [1]
