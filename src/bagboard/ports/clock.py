from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """The source of the current time: always timezone-aware UTC."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC. Never raises. Successive calls are not
        guaranteed to increase (the system clock may step back): callers that need a strict
        order (the progress feed) enforce it themselves."""
        ...
