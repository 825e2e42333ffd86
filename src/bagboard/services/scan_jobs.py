"""Scans started from the administration pages, run in the background of the server.

One ``ScanJobs`` serves the whole process (a singleton): it runs every scan of this process,
the ones an owner starts ("scan now") and, through ``scan``, the monitor's, so the two never
scan one library at once and the page shows the monitor's scans too. Scans run one at a time
(as the monitor's always did): a library asked for while another scans waits, ``QUEUED``.

Across processes, each scan first takes the library's scan lease (``services/scan_leases.py``):
a library another process scans waits, ``QUEUED`` too, until that process lets it go. The
lease is taken before this process's turn is waited for, never while holding it, so that a
scan waiting on another process never holds up this process's other libraries.

With a scan board (``ports/scan_board.py``), each status is also posted there, and a process
with no scan of a library under way reports the board's: the processes of ``serve --workers
N`` answer the libraries page alike, whichever runs the scan (the server's monitor, or the
worker an owner's "scan now" reached), and one asked to scan a library another is scanning
says so rather than queueing a second scan.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bagboard.domain.errors import DomainError, InvalidInput, LibraryNotFound, ScanStopped
from bagboard.domain.model import Library, User
from bagboard.ports.clock import Clock
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.scan_board import ScanBoard
from bagboard.services.owners import require_owner
from bagboard.services.scan.progress import ScanPhase
from bagboard.services.scan.scanner import Scanner, ScanReport
from bagboard.services.scan_leases import ScanLeases
from bagboard.services.scan_status import ScanState, ScanStatus, decode_status, encode_status

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


# How often a scan waiting for this process's other scan of its library looks at its stop event.
_STOP_CHECK_SECONDS = 0.5
# A running scan's progress is posted to the board at most this often (each change of state
# or phase at once); the page asks once a second.
_POST_EVERY = timedelta(seconds=0.5)
_WRITER_GONE = "the scan stopped: the process running it ended"


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
        board: ScanBoard | None = None,
    ) -> None:
        """Without ``leases``, scans are kept apart within this process only; without
        ``board``, the status of a scan is this process's own."""
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
        self._board = board
        self._posting = threading.Lock()  # over _posted: one post at a time, the latest status
        self._posted: dict[int, tuple[tuple[ScanState, ScanPhase | None], datetime]] = {}

    def start_for(self, user: User, library_id: int) -> bool:
        """Start scanning the library in the background, for an owner (``Forbidden``
        otherwise); False, starting nothing, when a scan of it is queued or running already.
        Raises ``LibraryNotFound``, and ``InvalidInput`` for a disabled library."""
        require_owner(user, "scan a library")
        library = self._library(library_id)
        if not library.enabled:
            raise InvalidInput("that library is disabled: enable it to scan it")
        if self._elsewhere(library.id) or not self._claim(library.id):
            return False
        self._start_thread(lambda: self._run_quietly(library))
        return True

    def status_for(self, user: User, library_id: int) -> ScanStatus:
        """How the library's latest scan goes, for an owner: this process's while it has one
        under way, else the latest any process posted (with a board), else this process's."""
        require_owner(user, "follow a scan")
        self._library(library_id)
        with self._guard:
            here = self._status.get(library_id, ScanStatus())
        if here.state.busy:
            return here
        return self._shared(library_id) or here

    def forget_posts(self) -> None:
        """Take every status off the board: the server is starting, and no scan has run since
        (a status left by an earlier run could name a process id in use by now)."""
        if self._board is not None:
            self._board.clear()

    def _shared(self, library_id: int) -> ScanStatus | None:
        posted = None if self._board is None else self._board.read(library_id)
        status = None if posted is None else decode_status(posted.document)
        if posted is None or status is None:
            return None
        if status.state.busy and not posted.writer_alive:
            return replace(status, state=ScanState.FAILED, error=_WRITER_GONE, waiting_for=None)
        return status

    def _elsewhere(self, library_id: int) -> bool:
        """Whether another process posted a scan of the library under way."""
        with self._guard:
            if self._status.get(library_id, ScanStatus()).state.busy:
                return False
        shared = self._shared(library_id)
        return shared is not None and shared.state.busy

    def _post(self, library_id: int) -> None:
        """Post the library's status now, if it changed state or the last post is old enough."""
        if self._board is None:
            return
        with self._posting:
            with self._guard:
                status = self._status[library_id]
            now = self._clock.now()
            step = (status.state, None if status.progress is None else status.progress.phase)
            last = self._posted.get(library_id)
            if last is not None and last[0] == step and now - last[1] < _POST_EVERY:
                return
            self._posted[library_id] = (step, now)
            self._board.post(library_id, encode_status(status))

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
        self._post(library_id)
        return True

    def _update(self, library_id: int, change: Callable[[ScanStatus], ScanStatus]) -> None:
        with self._guard:
            self._status[library_id] = change(self._status[library_id])
        self._post(library_id)

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
        # Posted before the waiters wake: whoever asks next hears how it ended.
        self._post(library_id)
        with self._guard:
            self._ended[library_id].set()
