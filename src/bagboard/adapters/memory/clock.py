"""A hand-driven clock for tests and replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bagboard.ports.clock import Clock

__all__ = ["ManualClock"]


class ManualClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment
