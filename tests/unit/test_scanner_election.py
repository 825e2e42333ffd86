"""The election of the one server that scans: it leads when the lead is free, runs the monitor
while it leads, stops it when the lead is lost, and leads again once the lead is free again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from bagboard.adapters.memory.scan_locks import LockTable, MemoryScanLocks
from bagboard.domain.errors import StorageUnavailable
from bagboard.ports.scan_locks import SCANNER_LEAD, ScanLock
from bagboard.services.scanner_election import ScannerElection

HERE = "bagboard serve (pid 1 on host a)"
THERE = "bagboard serve (pid 2 on host b)"


def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


class Monitor:
    """A monitor that runs until told to stop, counting its runs."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.started = 0
        self.stopped = 0

    def run(self, stop: threading.Event) -> None:
        with self.guard:
            self.started += 1
        stop.wait()
        with self.guard:
            self.stopped += 1

    def running(self) -> int:
        with self.guard:
            return self.started - self.stopped


class Rig:
    def __init__(self) -> None:
        self.table = LockTable()
        self.locks = MemoryScanLocks(HERE, self.table)
        self.other = MemoryScanLocks(THERE, self.table)
        self.monitor = Monitor()
        self.election = ScannerElection(
            self.locks, self.monitor.run, retry_seconds=0.01, check_seconds=0.01
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.election.run, args=(self.stop,))

    def leading(self) -> bool:
        return self.election.leading.is_set() and self.monitor.running() == 1


@pytest.fixture
def rig() -> Iterator[Rig]:
    rig = Rig()
    yield rig
    rig.stop.set()
    rig.thread.join(10)
    assert not rig.thread.is_alive()


def test_a_free_lead_is_taken_and_the_monitor_runs(rig: Rig) -> None:
    rig.thread.start()
    _until(rig.leading)
    assert rig.other.holder(SCANNER_LEAD) == HERE
    assert not rig.other.try_hold(SCANNER_LEAD)
    rig.stop.set()
    rig.thread.join(10)
    assert rig.monitor.running() == 0 and rig.monitor.started == 1
    assert rig.other.try_hold(SCANNER_LEAD)  # let go on the way out


def test_lead_lost_then_regained(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bagboard.services.scanner_election")
    rig.thread.start()
    _until(rig.leading)
    # The connection holding the lead dies, and another server takes it meanwhile.
    rig.locks.lose()
    assert rig.other.try_hold(SCANNER_LEAD)
    _until(lambda: rig.monitor.running() == 0 and not rig.election.leading.is_set())
    _until(lambda: f"another process scans the libraries: {THERE}" in caplog.messages)
    assert rig.monitor.started == 1
    rig.other.release(SCANNER_LEAD)
    _until(lambda: rig.leading() and rig.monitor.started == 2)
    assert rig.election.terms == 2
    assert caplog.messages.count(f"this process scans and watches the libraries: {HERE}") == 2
    assert any("lost the scanner lead" in message for message in caplog.messages)
    # The other server is named once, not on every retry.
    assert caplog.messages.count(f"another process scans the libraries: {THERE}") == 1


def test_a_follower_waits_until_the_leader_goes(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bagboard.services.scanner_election")
    assert rig.other.try_hold(SCANNER_LEAD)
    rig.thread.start()
    _until(lambda: f"another process scans the libraries: {THERE}" in caplog.messages)
    assert rig.monitor.started == 0 and not rig.election.leading.is_set()
    rig.other.close()  # the leader stops
    _until(rig.leading)


def test_two_servers_one_scanner() -> None:
    table = LockTable()
    monitors = [Monitor(), Monitor()]
    elections = [
        ScannerElection(
            MemoryScanLocks(name, table), monitor.run, retry_seconds=0.01, check_seconds=0.01
        )
        for name, monitor in zip([HERE, THERE], monitors, strict=True)
    ]
    stops = [threading.Event(), threading.Event()]
    threads = [
        threading.Thread(target=e.run, args=(s,)) for e, s in zip(elections, stops, strict=True)
    ]
    for thread in threads:
        thread.start()
    _until(lambda: sum(m.running() for m in monitors) == 1)
    leader = next(i for i, m in enumerate(monitors) if m.running())
    stops[leader].set()
    threads[leader].join(10)
    _until(lambda: monitors[1 - leader].running() == 1)
    assert sum(m.running() for m in monitors) == 1
    stops[1 - leader].set()
    threads[1 - leader].join(10)


class Unreachable(MemoryScanLocks):
    """Locks whose database is down until ``back`` is set."""

    def __init__(self) -> None:
        super().__init__(HERE)
        self.back = threading.Event()

    def try_hold(self, lock: ScanLock) -> bool:
        if not self.back.is_set():
            raise StorageUnavailable("the database is unavailable; try again")
        return super().try_hold(lock)


def test_a_database_down_is_waited_out(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bagboard.services.scanner_election")
    locks = Unreachable()
    monitor = Monitor()
    election = ScannerElection(locks, monitor.run, retry_seconds=0.01, check_seconds=0.01)
    stop = threading.Event()
    thread = threading.Thread(target=election.run, args=(stop,))
    thread.start()
    _until(lambda: any("cannot tell which process" in m for m in caplog.messages))
    assert monitor.started == 0
    locks.back.set()
    _until(lambda: monitor.running() == 1)
    stop.set()
    thread.join(10)
    assert monitor.running() == 0


def test_a_monitor_that_dies_gives_the_lead_back(caplog: pytest.LogCaptureFixture) -> None:
    runs: list[int] = []

    def crashing(stop: threading.Event) -> None:
        runs.append(1)
        raise RuntimeError("watcher broke")

    locks = MemoryScanLocks(HERE)
    election = ScannerElection(locks, crashing, retry_seconds=0.01, check_seconds=0.01)
    stop = threading.Event()
    thread = threading.Thread(target=election.run, args=(stop,))
    thread.start()
    _until(lambda: len(runs) >= 2)  # let go, then led and started again
    stop.set()
    thread.join(10)
    assert "the library monitor crashed" in caplog.messages
