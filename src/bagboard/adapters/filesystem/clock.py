"""The operating system's clock, the one a running server and the CLI use."""

from __future__ import annotations

from datetime import UTC, datetime

from bagboard.ports.clock import Clock

__all__ = ["SystemClock"]


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)
