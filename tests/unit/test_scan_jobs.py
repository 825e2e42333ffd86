"""Background scans: one per library at a time, progress readable while they run, the
monitor's scans going through the same queue, owners only."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.domain.errors import Forbidden, InvalidInput, InvalidPath, LibraryNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.services.scan.progress import ProgressCallback
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.scan_jobs import ScanJobs, ScanState
from tests.unit.web.admin_support import HeldScanner

OWNER = User(1, "owner", Role.OWNER)
READER = User(2, "kid", Role.READER)


def _jobs(scanner: Any) -> tuple[ScanJobs, MemoryLibraryStore]:
    store = MemoryLibraryStore()
    store.add("a", "/lib/a")
    store.add("b", "/lib/b")
    return ScanJobs(lambda: scanner, store, ManualClock()), store


def test_a_scan_runs_in_the_background_and_reports_its_progress() -> None:
    held = HeldScanner()
    jobs, _ = _jobs(held)
    assert jobs.status_for(OWNER, 1).state is ScanState.IDLE
    assert jobs.start_for(OWNER, 1)
    assert held.started.wait(10)
    running = jobs.status_for(OWNER, 1)
    assert running.state is ScanState.RUNNING
    assert running.progress is not None and running.progress.opened == 2
    assert not jobs.start_for(OWNER, 1)  # one scan of a library at a time
    held.release.set()
    assert jobs.wait(1, 10)
    done = jobs.status_for(OWNER, 1)
    assert done.state is ScanState.DONE
    assert done.report is not None and done.report.new == 7
    assert done.finished_at is not None
    assert held.scanned == [1]
    assert jobs.start_for(OWNER, 1)  # a finished scan may be started again
    assert jobs.wait(1, 10)


def test_another_library_waits_its_turn() -> None:
    held = HeldScanner()
    jobs, _ = _jobs(held)
    assert jobs.start_for(OWNER, 1)
    assert held.started.wait(10)
    assert jobs.start_for(OWNER, 2)
    assert jobs.status_for(OWNER, 2).state is ScanState.QUEUED
    held.release.set()
    assert jobs.wait(1, 10) and jobs.wait(2, 10)
    assert held.scanned == [1, 2]


def test_the_monitor_waits_for_a_running_scan_of_its_library_and_does_not_repeat_it() -> None:
    held = HeldScanner()
    jobs, store = _jobs(held)
    library = store.get(1)
    assert library is not None
    assert jobs.start_for(OWNER, 1)
    assert held.started.wait(10)
    reports: list[ScanReport] = []
    monitor = threading.Thread(target=lambda: reports.append(jobs.scan(library)))
    monitor.start()
    held.release.set()
    monitor.join(10)
    assert len(reports) == 1 and reports[0].new == 7
    assert held.scanned == [1]


class Failing:
    def scan(self, library: Library, *, progress: ProgressCallback | None = None) -> ScanReport:
        raise InvalidPath("the library folder is missing")


def test_a_failed_scan_says_why() -> None:
    jobs, store = _jobs(Failing())
    assert jobs.start_for(OWNER, 1)
    assert jobs.wait(1, 10)
    failed = jobs.status_for(OWNER, 1)
    assert failed.state is ScanState.FAILED
    assert failed.error == "the library folder is missing"
    library = store.get(2)
    assert library is not None
    with pytest.raises(InvalidPath):  # the monitor's scans raise as before
        jobs.scan(library)
    assert jobs.status_for(OWNER, 2).state is ScanState.FAILED


def test_only_owners_scan_and_only_enabled_libraries() -> None:
    held = HeldScanner()
    held.release.set()
    jobs, store = _jobs(held)
    with pytest.raises(Forbidden):
        jobs.start_for(READER, 1)
    with pytest.raises(Forbidden):
        jobs.status_for(READER, 1)
    with pytest.raises(LibraryNotFound):
        jobs.start_for(OWNER, 99)
    store.set_enabled(2, False)
    with pytest.raises(InvalidInput):
        jobs.start_for(OWNER, 2)
    assert held.scanned == []
