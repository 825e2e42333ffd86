"""Terminal output of the command line: a progress bar and human-friendly numbers."""

from __future__ import annotations

import re
import sys
import time
from datetime import timedelta
from typing import TextIO

from bagboard.config import Settings, default_data_dir, mask_url
from bagboard.domain.errors import InvalidInput
from bagboard.services.scan.scanner import ScanProgress, ScanReport

__all__ = [
    "ProgressBar",
    "describe_formats",
    "describe_report",
    "describe_storage",
    "legacy_notice",
    "parse_duration",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(raw: str) -> timedelta:
    """``90``, ``90s``, ``15m``, ``6h`` or ``1d``."""
    match = _DURATION.match(raw)
    if match is None:
        raise InvalidInput(f"not a duration: {raw!r} (use e.g. 90s, 15m, 6h)")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


class ProgressBar:
    """Redraws one line on a terminal at most a few times a second."""

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream or sys.stderr
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: ScanProgress) -> None:
        now = time.monotonic()
        done = progress.fraction is not None and progress.opened == progress.to_open
        if now - self._last < 0.2 and not done:
            return
        self._last = now
        fraction = progress.fraction
        if fraction is None:
            text = f"{progress.phase}: {progress.folders:,} folders, {progress.files:,} files"
        else:
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = (
                f"[{bar}] {fraction:4.0%} {progress.phase} {progress.opened:,}/{progress.to_open:,}"
            )
        self._stream.write(f"\r{self._label}: {text}\033[K")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


def describe_report(name: str, report: ScanReport, unreadable: int | None = None) -> str:
    """One line for a finished scan. ``unreadable`` is how many files of the library the
    index holds as unreadable after it (the scan itself counts only those it opened, and an
    unreadable file is opened again only when it changes); without it, the scan's count."""
    if unreadable is None:
        unreadable_text = f"{report.unreadable:,} unreadable"
    else:
        unreadable_text = f"{unreadable:,} unreadable"
        if unreadable:
            unreadable_text += " (bagboard problems lists them)"
    return (
        f"{name}: {report.new:,} new, {report.changed:,} changed, {report.moved:,} moved, "
        f"{report.removed:,} removed, {unreadable_text}, "
        f"{report.unchanged:,} unchanged in {report.elapsed:.1f}s "
        f"({report.files_per_second:,.0f} files/s)"
    )


def describe_formats(formats: dict[str, bool]) -> str:
    labels = {
        "zip": "CBZ",
        "rar": "CBR (stored)",
        "rar_compressed": "CBR (compressed)",
        "7z": "CB7",
        "tar": "CBT",
        "pdf": "PDF",
    }
    ready = [labels.get(key, key) for key, ok in formats.items() if ok]
    missing = [labels.get(key, key) for key, ok in formats.items() if not ok]
    text = "formats: " + ", ".join(ready)
    if missing:
        text += " — unavailable: " + ", ".join(missing)
        if not formats.get("rar_compressed", True):
            text += " (install unrar: scripts/install-unrar.sh)"
    return text


def describe_storage(settings: Settings) -> str:
    """Which data folder and database a command uses, any password masked."""
    if settings.is_sqlite:
        database = settings.database_url.partition(":///")[2] or settings.database_url
        database += " (SQLite)"
    else:
        database = mask_url(settings.database_url)
    return f"data folder: {settings.data_dir}; database: {database}"


def legacy_notice(settings: Settings) -> str:
    """The line shown while an older version's ``./bagboard-data`` is in use."""
    return (
        f"notice: using {settings.data_dir}, the data folder older versions kept in the current "
        f"folder; to find it from anywhere, move it: mv '{settings.data_dir}' "
        f"'{default_data_dir()}' (or keep passing --data-dir)"
    )
