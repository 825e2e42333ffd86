"""Which of the servers sharing one database scans and watches the libraries.

Every ``bagboard serve`` runs a ``ScannerElection``. It tries to take the scanner lead
(``ports/scan_locks.py``) and asks again every ``LEAD_RETRY_SECONDS`` while another process
has it. Once it has the lead it runs the library monitor (scan at start, watch, rescan) and
checks every ``LEAD_CHECK_SECONDS`` that the lead is still its own; when it is not (its
database connection died, say), it stops the monitor and goes back to asking. When the
scanning server stops or dies, its lead goes with it and another server takes over within a
retry interval.

Each change is one log line: this process "scans the libraries", or another one does (named),
or this process lost the lead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bagboard.domain.errors import DomainError
from bagboard.ports.scan_locks import SCANNER_LEAD, ScanLocks

__all__ = ["LEAD_CHECK_SECONDS", "LEAD_RETRY_SECONDS", "RunMonitor", "ScannerElection", "log"]

log = logging.getLogger(__name__)

LEAD_RETRY_SECONDS = 2.0
LEAD_CHECK_SECONDS = 3.0
# How long stopping the monitor may take (a scan under way finishes its current file batch).
_MONITOR_STOP_SECONDS = 60.0

# Runs the library monitor until the event is set (``LibraryMonitor.run`` with its scans
# bound to that event).
RunMonitor = Callable[[threading.Event], None]


class ScannerElection:
    def __init__(
        self,
        locks: ScanLocks,
        run_monitor: RunMonitor,
        *,
        retry_seconds: float | None = None,
        check_seconds: float | None = None,
    ) -> None:
        """The intervals default to ``LEAD_RETRY_SECONDS`` and ``LEAD_CHECK_SECONDS`` as they
        are when the election is made."""
        self._locks = locks
        self._run_monitor = run_monitor
        self._retry = LEAD_RETRY_SECONDS if retry_seconds is None else retry_seconds
        self._check = LEAD_CHECK_SECONDS if check_seconds is None else check_seconds
        self._told: str | None = None  # the other scanner last logged
        self.leading = threading.Event()
        """Set while this process holds the lead and runs the monitor."""
        self.terms = 0
        """How many times this process became the scanner."""

    def run(self, stop: threading.Event) -> None:
        """Take part until ``stop`` is set, leading whenever the lead is free; the lead is let
        go on return."""
        try:
            while not stop.is_set():
                if self._try_lead():
                    self._lead(stop)
                    if stop.is_set():
                        return
                stop.wait(self._retry)
        finally:
            self._locks.release(SCANNER_LEAD)

    def _try_lead(self) -> bool:
        try:
            if self._locks.try_hold(SCANNER_LEAD):
                return True
            holder = self._locks.holder(SCANNER_LEAD)
        except DomainError as exc:
            log.warning("cannot tell which process scans the libraries: %s", exc.message)
            return False
        if holder is not None and holder != self._told:
            self._told = holder
            log.info("another process scans the libraries: %s", holder)
        return False

    def _lead(self, stop: threading.Event) -> None:
        """Run the monitor while this process holds the lead and ``stop`` is not set."""
        self._told = None
        self.terms += 1
        try:
            me = self._locks.holder(SCANNER_LEAD) or "this process"
        except DomainError:
            me = "this process"
        log.info("this process scans and watches the libraries: %s", me)
        ending = threading.Event()
        monitor = threading.Thread(
            target=self._monitor, args=(ending,), name="library-monitor", daemon=True
        )
        self.leading.set()
        monitor.start()
        try:
            while not stop.wait(self._check):
                if not self._locks.still_held(SCANNER_LEAD):
                    log.warning(
                        "this process lost the scanner lead: stopping its scans; "
                        "asking again every %g s",
                        self._retry,
                    )
                    return
                if not monitor.is_alive():
                    log.error("the library monitor stopped: letting another process scan")
                    return
        finally:
            self.leading.clear()
            ending.set()
            monitor.join(_MONITOR_STOP_SECONDS)
            self._locks.release(SCANNER_LEAD)

    def _monitor(self, ending: threading.Event) -> None:
        try:
            self._run_monitor(ending)
        except Exception:
            log.exception("the library monitor crashed")
