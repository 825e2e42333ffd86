"""Progress of a running scan, reported as counts so a command line can draw a bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

__all__ = ["ProgressCallback", "ProgressTracker", "ScanPhase", "ScanProgress"]

_T = TypeVar("_T")


class ScanPhase(StrEnum):
    WALKING = "walking"  # listing folders, stat'ing known files
    FINGERPRINTING = "fingerprinting"  # reading both ends of new and changed files
    INSPECTING = "inspecting"  # opening archives and writing batches to the index


@dataclass(frozen=True, slots=True)
class ScanProgress:
    phase: ScanPhase
    folders: int  # folders reached so far
    files: int  # comic files found so far
    to_open: int  # files the current phase has to read
    opened: int  # of those, read so far

    @property
    def fraction(self) -> float | None:
        """How far the current phase is, or None while the amount of work is unknown."""
        if self.phase is ScanPhase.WALKING:
            return None
        return self.opened / self.to_open if self.to_open else 1.0


ProgressCallback = Callable[[ScanProgress], None]


class ProgressTracker:
    """Keeps the counts of one scan and hands a fresh ``ScanProgress`` to the callback."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._phase = ScanPhase.WALKING
        self._folders = self._files = self._to_open = self._opened = 0

    def walked(self, folders: int, files: int) -> None:
        self._folders, self._files = folders, files
        self._emit()

    def start(self, phase: ScanPhase, to_open: int) -> None:
        self._phase, self._to_open, self._opened = phase, to_open, 0
        self._emit()

    def each(self, results: Iterable[_T]) -> Iterator[_T]:
        """Pass ``results`` through, counting each one as a file read."""
        for result in results:
            self._opened += 1
            self._emit()
            yield result

    def _emit(self) -> None:
        if self._callback is not None:
            self._callback(
                ScanProgress(self._phase, self._folders, self._files, self._to_open, self._opened)
            )
