"""Scans started from the administration pages, run in the background of the server.

One ``ScanJobs`` serves the whole process (a singleton): it runs every scan of this process,
the ones an owner starts ("scan now") and, through ``scan``, the monitor's, so the two never
scan one library at once and the page shows the monitor's scans too. Scans run one at a time
(as the monitor's always did): a library asked for while another scans waits, ``QUEUED``.

Across processes, each scan first takes the library's scan lease (``services/scan_leases.py``):
a library another process scans waits, ``QUEUED`` too, until that process lets it go. The
lease is taken before this process's turn is waited for, never while holding it, so that a
scan waiting on another process never holds up this process's other libraries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bagboard.domain.errors import DomainError, InvalidInput, LibraryNotFound, ScanStopped
from bagboard.domain.model import Library, User
from bagboard.ports.clock import Clock
from bagboard.ports.library_store import LibraryStore
from bagboard.services.owners import require_owner
from bagboard.services.scan.progress import ScanProgress
from bagboard.services.scan.scanner import Scanner, ScanReport
from bagboard.services.scan_leases import ScanLeases

__all__ = [
    "AfterScan",
    "ScanJobs",
    "ScanState",
    "ScanStatus",
    "StartThread",
    "indexed_new_comics",
]

log = logging.getLogger(__name__)

# Runs its argument in a new background thread (tests may run it some other way).
StartThread = Callable[[Callable[[], None]], None]
# Called after each scan that indexed a comic or a name it had not seen (new, changed or
# moved files): KOReader positions waiting for such a comic attach to it then, and reading
# list entries waiting for it resolve. Each step runs even when one before it failed.
AfterScan = Callable[[], object]


class ScanState(StrEnum):
    IDLE = "idle"  # no scan of this library since the server started
    QUEUED = "queued"  # waiting for another scan to end: another library's, or another process's
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def busy(self) -> bool:
        return self in (ScanState.QUEUED, ScanState.RUNNING)


@dataclass(frozen=True, slots=True)
class ScanStatus:
    """The latest scan of one library in this process: where it is, or how it ended."""

    state: ScanState = ScanState.IDLE
    progress: ScanProgress | None = None
    report: ScanReport | None = None
    error: str | None = None  # the domain error's message of a failed scan
    finished_at: datetime | None = None
    # While QUEUED behind another process's scan of the library: who that is.
    waiting_for: str | None = None


# How often a scan waiting for this process's other scan of its library looks at its stop event.
_STOP_CHECK_SECONDS = 0.5


def indexed_new_comics(report: ScanReport) -> bool:
    """Whether a scan indexed a comic, a content or a name it had not seen."""
    return bool(report.new or report.changed or report.moved)


def _daemon_thread(run: Callable[[], None]) -> None:
    threading.Thread(target=run, name="library-scan", daemon=True).start()


class ScanJobs:
    def __init__(
        self,
        scanner: Callable[[], Scanner],
        libraries: LibraryStore,
        clock: Clock,
        *,
        start_thread: StartThread = _daemon_thread,
        after_scan: Sequence[AfterScan] = (),
        leases: ScanLeases | None = None,
    ) -> None:
        """Without ``leases``, scans are kept apart within this process only."""
        self._scanner = scanner
        self._libraries = libraries
        self._clock = clock
        self._start_thread = start_thread
        self._after_scan = tuple(after_scan)
        self._leases = leases
        self._one_at_a_time = threading.Lock()
        self._guard = threading.Lock()  # over _status and each library's end event
        self._status: dict[int, ScanStatus] = {}
        self._ended: dict[int, threading.Event] = {}

    def start_for(self, user: User, library_id: int) -> bool:
        """Start scanning the library in the background, for an owner (``Forbidden``
        otherwise); False, starting nothing, when a scan of it is queued or running already.
        Raises ``LibraryNotFound``, and ``InvalidInput`` for a disabled library."""
        require_owner(user, "scan a library")
        library = self._library(library_id)
        if not library.enabled:
            raise InvalidInput("that library is disabled: enable it to scan it")
        if not self._claim(library.id):
            return False
        self._start_thread(lambda: self._run_quietly(library))
        return True

    def status_for(self, user: User, library_id: int) -> ScanStatus:
        """How the library's latest scan in this process goes, for an owner."""
        require_owner(user, "follow a scan")
        self._library(library_id)
        with self._guard:
            return self._status.get(library_id, ScanStatus())

    def scan(self, library: Library, *, stop: threading.Event | None = None) -> ScanReport:
        """Scan ``library`` now, in the calling thread, after any scan running (the monitor's
        ``ScanFunction``); a scan of it already queued or running is waited for and not
        repeated. Raises what the scanner raises, and ``ScanStopped`` when ``stop`` is set
        while it waits for another process's scan of the library."""
        if not self._claim(library.id):
            while not self.wait(library.id, _STOP_CHECK_SECONDS):
                if stop is not None and stop.is_set():
                    raise ScanStopped("stopped while another scan of the library waited its turn")
            with self._guard:
                status = self._status[library.id]
            if status.report is not None:
                return status.report
            raise InvalidInput(status.error or "the scan failed")
        return self._run(library, stop)

    def wait(self, library_id: int, timeout: float | None = None) -> bool:
        """Block until no scan of the library is queued or running (or ``timeout`` seconds);
        True when none is."""
        with self._guard:
            ended = self._ended.get(library_id)
        return True if ended is None else ended.wait(timeout)

    def _library(self, library_id: int) -> Library:
        library = self._libraries.get(library_id)
        if library is None:
            raise LibraryNotFound("no such library")
        return library

    def _claim(self, library_id: int) -> bool:
        with self._guard:
            if self._status.get(library_id, ScanStatus()).state.busy:
                return False
            self._status[library_id] = ScanStatus(ScanState.QUEUED)
            self._ended[library_id] = threading.Event()
            return True

    def _update(self, library_id: int, change: Callable[[ScanStatus], ScanStatus]) -> None:
        with self._guard:
            self._status[library_id] = change(self._status[library_id])

    def _run_quietly(self, library: Library) -> None:
        # A background scan has no caller to raise to: its status says how it ended.
        try:
            self._run(library)
        except DomainError as exc:
            log.warning("scan of %s failed: %s", library.name, exc.message)
        except Exception:
            log.exception("scan of %s crashed", library.name)

    def _run(self, library: Library, stop: threading.Event | None = None) -> ScanReport:
        if self._leases is None:
            return self._run_in_turn(library)
        try:
            with self._leases.held(
                library, waiting=lambda holder: self._waiting(library, holder), stop=stop
            ) as taken:
                if not taken:
                    raise ScanStopped("stopped while another process scanned the library")
                return self._run_in_turn(library)
        except BaseException as exc:
            with self._guard:
                ending = self._status[library.id].state.busy
            if ending:  # failed before its turn: taking the lease, or stopped waiting for it
                error = exc.message if isinstance(exc, DomainError) else "the scan stopped"
                self._end(library.id, ScanStatus(ScanState.FAILED, error=error))
            raise

    def _waiting(self, library: Library, holder: str) -> None:
        log.info("waiting for %s to finish scanning %s", holder, library.name)
        self._update(library.id, lambda s: replace(s, waiting_for=holder))

    def _run_in_turn(self, library: Library) -> ScanReport:
        with self._one_at_a_time:
            try:
                self._update(
                    library.id, lambda s: replace(s, state=ScanState.RUNNING, waiting_for=None)
                )
                report = self._scanner().scan(
                    library,
                    progress=lambda p: self._update(library.id, lambda s: replace(s, progress=p)),
                )
                self._after(library, report)
            except DomainError as exc:
                self._end(library.id, ScanStatus(ScanState.FAILED, error=exc.message))
                raise
            except BaseException:
                self._end(
                    library.id, ScanStatus(ScanState.FAILED, error="the scan stopped on an error")
                )
                raise
            self._end(library.id, ScanStatus(ScanState.DONE, report=report))
            return report

    def _after(self, library: Library, report: ScanReport) -> None:
        if not self._after_scan or not indexed_new_comics(report):
            return
        # The scan itself went well: what follows it must not make it count as failed.
        for step in self._after_scan:
            try:
                step()
            except DomainError as exc:
                log.warning("after the scan of %s: %s", library.name, exc.message)
            except Exception:
                log.exception("after the scan of %s", library.name)

    def _end(self, library_id: int, outcome: ScanStatus) -> None:
        """Record how the scan ended (keeping its last progress) and wake its waiters."""
        at = self._clock.now()
        with self._guard:
            last = self._status[library_id].progress
            self._status[library_id] = replace(outcome, progress=last, finished_at=at)
            self._ended[library_id].set()
