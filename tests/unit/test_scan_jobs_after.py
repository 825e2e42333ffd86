"""What follows a scan run through ``ScanJobs`` (the owner's "scan now" and the monitor's):
KOReader positions waiting for a comic attach, only when the scan indexed something new, and
a failure there never makes the scan count as failed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.domain.errors import StorageUnavailable
from bagboard.domain.model import Library, Role, User
from bagboard.services.scan.progress import ProgressCallback
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.scan_jobs import AfterScan, ScanJobs, ScanState, indexed_new_comics

OWNER = User(1, "owner", Role.OWNER)
NOTHING = ScanReport(0, 0, 0, 0, 0, unchanged=9, folders=3, elapsed=0.1)


class FixedScanner:
    def __init__(self, report: ScanReport) -> None:
        self.report = report

    def scan(
        self, library: Library, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> ScanReport:
        return self.report


def _scan(report: ScanReport, after: AfterScan) -> tuple[ScanJobs, ScanReport]:
    store = MemoryLibraryStore()
    library = store.add("a", "/lib/a")
    scanner: Any = FixedScanner(report)
    jobs = ScanJobs(lambda: scanner, store, ManualClock(), after_scan=[after])
    return jobs, jobs.scan(library)


@pytest.mark.parametrize(
    "report",
    [replace(NOTHING, new=1), replace(NOTHING, changed=1), replace(NOTHING, moved=1)],
)
def test_a_scan_that_indexed_something_new_is_followed(report: ScanReport) -> None:
    calls: list[int] = []
    _scan(report, lambda: calls.append(1))
    assert indexed_new_comics(report) and calls == [1]


def test_a_scan_that_found_nothing_new_is_not_followed() -> None:
    calls: list[int] = []
    _scan(replace(NOTHING, removed=2), lambda: calls.append(1))
    assert calls == []


@pytest.mark.parametrize("error", [StorageUnavailable("locked"), RuntimeError("bug")])
def test_a_failure_after_the_scan_leaves_it_done(error: Exception) -> None:
    def fail() -> None:
        raise error

    jobs, report = _scan(replace(NOTHING, new=1), fail)
    assert report.new == 1
    assert jobs.status_for(OWNER, 1).state is ScanState.DONE
