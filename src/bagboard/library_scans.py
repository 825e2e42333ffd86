"""What the ``ComicLibrary`` facade does to scan across processes: the scan leases every scan
holds, and the election of the one server that scans and watches. Kept apart so the facade
stays small."""

from __future__ import annotations

import functools
import threading
from contextlib import AbstractContextManager
from datetime import timedelta

from bagboard.bootstrap import Container
from bagboard.domain.model import Library
from bagboard.services.monitor import LibraryMonitor
from bagboard.services.scan.scanner import Scanner
from bagboard.services.scan_jobs import ScanJobs
from bagboard.services.scan_leases import ScanLeases, Waiting
from bagboard.services.scanner_election import ScannerElection

__all__ = ["ScanSteps"]


class ScanSteps:
    """Gives ``ComicLibrary`` its ``scanner``, ``monitor``, ``scan_lease``,
    ``scanner_election`` and ``name_process``."""

    _container: Container

    def name_process(self, name: str) -> None:
        """How this process is named to the others sharing its database when it scans or
        waits ("bagboard serve": its pid and host are added). Call it before the first scan;
        the default is "bagboard"."""
        self._container.config.process_name.from_value(name)

    def scanner(self) -> Scanner:
        """A scanner that reads big batches of archives through the process pool. It holds
        no lease: scan within ``scan_lease``."""
        scanner: Scanner = self._container.scanner()
        return scanner

    def scan_lease(
        self, library: Library, *, wait: bool = True, waiting: Waiting | None = None
    ) -> AbstractContextManager[bool]:
        """Hold the library's scan lease for a ``with`` block, which gets True; while another
        process (a server, ``bagboard scan``) scans the library, ``waiting`` is told who, and
        the lease is waited for, or, without ``wait``, not taken (the block gets False)."""
        leases: ScanLeases = self._container.scan_leases()
        return leases.held(library, wait=wait, waiting=waiting)

    def forget_scan_statuses(self) -> None:
        """Forget how earlier runs' scans went, as a server starting does: the libraries page
        then reports only scans since the start."""
        jobs: ScanJobs = self._container.scan_jobs()
        jobs.forget_posts()

    def monitor(
        self, rescan_interval: timedelta, stop: threading.Event | None = None
    ) -> LibraryMonitor:
        """Scans every enabled library, then watches them and rescans every interval; with
        ``stop``, a scan waiting for another process's scan of its library gives up once it
        is set."""
        jobs: ScanJobs = self._container.scan_jobs()
        monitor: LibraryMonitor = self._container.monitor(
            rescan_interval=rescan_interval, scan=functools.partial(jobs.scan, stop=stop)
        )
        return monitor

    def scanner_election(self, rescan_interval: timedelta) -> ScannerElection:
        """Runs the ``monitor`` in this process whenever it holds the scanner lead, shared
        with every process using the same database (``ScannerElection.run``)."""

        def run_monitor(stop: threading.Event) -> None:
            self.monitor(rescan_interval, stop).run(stop)

        election: ScannerElection = self._container.scanner_election(run_monitor=run_monitor)
        return election
