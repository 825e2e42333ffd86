"""How a library's latest scan goes (``ScanStatus``), and its text form for the scan board
(``ports/scan_board.py``) through which the processes of one server share it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bagboard.services.scan.progress import ScanPhase, ScanProgress
from bagboard.services.scan.scanner import ScanReport

__all__ = ["ScanState", "ScanStatus", "decode_status", "encode_status"]


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
    """The latest scan of one library: where it is, or how it ended."""

    state: ScanState = ScanState.IDLE
    progress: ScanProgress | None = None
    report: ScanReport | None = None
    error: str | None = None  # the domain error's message of a failed scan
    finished_at: datetime | None = None
    # While QUEUED behind another process's scan of the library: who that is.
    waiting_for: str | None = None


def encode_status(status: ScanStatus) -> str:
    progress, report = status.progress, status.report
    return json.dumps(
        {
            "state": status.state.value,
            "progress": None if progress is None else asdict(progress),
            "report": None if report is None else asdict(report),
            "error": status.error,
            "finished_at": None if status.finished_at is None else status.finished_at.isoformat(),
            "waiting_for": status.waiting_for,
        }
    )


def decode_status(document: str) -> ScanStatus | None:
    """The status ``encode_status`` wrote, or None for anything else (another version's)."""
    try:
        raw: dict[str, Any] = json.loads(document)
        progress, report, finished = raw["progress"], raw["report"], raw["finished_at"]
        return ScanStatus(
            state=ScanState(raw["state"]),
            progress=None if progress is None else _progress(progress),
            report=None if report is None else ScanReport(**report),
            error=None if raw["error"] is None else str(raw["error"]),
            finished_at=None if finished is None else datetime.fromisoformat(finished),
            waiting_for=None if raw["waiting_for"] is None else str(raw["waiting_for"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _progress(raw: dict[str, Any]) -> ScanProgress:
    return ScanProgress(**{**raw, "phase": ScanPhase(raw["phase"])})
