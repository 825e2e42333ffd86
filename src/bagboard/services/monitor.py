"""Keeping the index in step with the disk while the server runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bagboard.domain.errors import DomainError
from bagboard.domain.model import Library
from bagboard.ports.change_watcher import ChangeWatcher
from bagboard.ports.clock import Clock
from bagboard.ports.library_store import LibraryStore
from bagboard.services.scan.scanner import ScanReport

__all__ = ["DEFAULT_RESCAN_INTERVAL", "LibraryMonitor", "ScanFunction", "libraries_touched", "log"]

log = logging.getLogger(__name__)

DEFAULT_RESCAN_INTERVAL = timedelta(hours=6)

# One scan of a library, incremental unless full=True; the monitor does not care what it reports.
ScanFunction = Callable[[Library], object]


def libraries_touched(libraries: Iterable[Library], paths: Iterable[str]) -> list[Library]:
    """The libraries that contain at least one of ``paths``, in the given order."""
    paths = list(paths)
    return [lib for lib in libraries if any(lib.contains(p) for p in paths)]


class LibraryMonitor:
    """Scans every enabled library at start, then on each change the watcher reports and
    at a fixed interval (which catches what watching misses on network mounts).

    Scans are serialised: one runs at a time, so a burst of changes never piles up work.
    """

    def __init__(
        self,
        libraries: LibraryStore,
        watcher: ChangeWatcher,
        scan: ScanFunction,
        clock: Clock,
        *,
        rescan_interval: timedelta = DEFAULT_RESCAN_INTERVAL,
    ) -> None:
        self._libraries = libraries
        self._watcher = watcher
        self._scan = scan
        self._clock = clock
        self._interval = rescan_interval
        self.scans_completed = 0
        self.idle = threading.Event()

    def run(self, stop: threading.Event) -> None:
        """Block until ``stop`` is set."""
        libraries = self._libraries.list(enabled_only=True)
        last_full = self._scan_all(libraries, stop)
        while not stop.is_set():
            roots = [lib.root for lib in libraries]
            for changed in self._watcher.watch(roots, stop):
                if stop.is_set():
                    return
                current = self._enabled(libraries)
                if [lib.root for lib in current] != roots:
                    # A library was added, enabled or disabled: scan the new set and re-arm.
                    libraries = current
                    last_full = self._scan_all(libraries, stop)
                    break
                if self._clock.now() - last_full >= self._interval:
                    last_full = self._scan_all(current, stop)
                elif changed:
                    log.info("files changed", extra={"paths": len(changed)})
                    self._scan_some(libraries_touched(current, changed), stop)
                self.idle.set()

    def _enabled(self, known: list[Library]) -> list[Library]:
        """The enabled libraries, or ``known`` while the database cannot tell (its server
        restarting, say): watching must outlive that, and the next change asks again."""
        try:
            return self._libraries.list(enabled_only=True)
        except DomainError as exc:
            log.warning("could not read the libraries: %s", exc.message)
            return known

    def _scan_all(self, libraries: list[Library], stop: threading.Event) -> datetime:
        started = self._clock.now()
        self._scan_some(libraries, stop)
        return started

    def _scan_some(self, libraries: list[Library], stop: threading.Event) -> None:
        self.idle.clear()
        for library in libraries:
            if stop.is_set():
                return
            try:
                report = self._scan(library)
                if isinstance(report, ScanReport):
                    _log_report(library, report)
            except DomainError as exc:
                if stop.is_set():  # stopped while waiting for another process's scan
                    return
                # A missing or unreadable root (an unmounted share) must not stop the monitor;
                # the next change or interval tries again.
                log.warning("scan of %s failed: %s", library.name, exc.message)
            except Exception:
                log.exception("scan of %s crashed", library.name)
            self.scans_completed += 1
        self.idle.set()


def _log_report(library: Library, report: ScanReport) -> None:
    log.info(
        "scanned %s: %d new, %d changed, %d moved, %d removed in %.1f s",
        library.name,
        report.new,
        report.changed,
        report.moved,
        report.removed,
        report.elapsed,
        extra={
            "library": library.name,
            "new": report.new,
            "changed": report.changed,
            "moved": report.moved,
            "removed": report.removed,
            "unreadable": report.unreadable,
            "files": report.files,
            "seconds": round(report.elapsed, 3),
        },
    )
