"""Reading positions and read marks, and the rule that keeps an old write from winning.

Positions sync between devices that may be offline. A device that sends the time it made a
change (its own clock, unix seconds) gets a conditional write: a change older than the one
stored for that comic is refused, so a phone replaying yesterday's page never throws the
reader back. A change without a time applies unconditionally (the reference API has none) and
counts as made now, so replays older than it are refused in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bagboard.domain.errors import InvalidInput, StaleProgress

# The smallest step of a stored time (both databases keep microseconds).
TICK = timedelta(microseconds=1)

# The largest page number, page count or number of seconds a position or mark keeps (stores
# hold them in 32 bits); anything bigger is not a reading, and must not reach a store.
MAX_COUNT = 2**31 - 1
# The largest device time (unix seconds) a write may carry: the last second of year 9999.
MAX_CLIENT_TIME = 253_402_300_799


def check_count(name: str, value: int | None, limit: int = MAX_COUNT) -> None:
    """``InvalidInput`` unless ``value`` is None or within ``0..limit``."""
    if value is None:
        return
    if value < 0:
        raise InvalidInput(f"{name} must not be negative")
    if value > limit:
        raise InvalidInput(f"{name} must not be above {limit}")


@dataclass(frozen=True, slots=True)
class ComicKey:
    """Which comic a position or mark belongs to: its path as the client names it, and the id
    of the indexed comic at that path (None when the path is not indexed or not visible)."""

    path: str
    comic_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReadingProgress:
    """A user's stored position in one comic; ``cleared`` when it was deleted (a tombstone).

    ``updated_at`` is the server's time of the last change (the sync feed's order);
    ``client_updated_at`` the device's time of it, which the conflict rule compares.
    """

    path: str
    page_number: int
    total_pages: int | None
    time_spent: int
    updated_at: datetime
    client_updated_at: int | None = None
    cleared: bool = False


@dataclass(frozen=True, slots=True)
class ProgressChange:
    """A write of a position. ``None`` leaves a stored field as it is; ``client_time`` is the
    device's clock when the reader got there (unix seconds), or None for an unconditional write."""

    page_number: int | None = None
    total_pages: int | None = None
    time_spent: int | None = None
    client_time: int | None = None

    def __post_init__(self) -> None:
        for name in ("page_number", "total_pages", "time_spent"):
            check_count(name, getattr(self, name))
        # Clients send the device time as `updated_at` (contract §6): name it so in the error.
        check_count("updated_at", self.client_time, MAX_CLIENT_TIME)


def is_stale(change_time: int | None, stored_time: int | None) -> bool:
    """The conflict rule: a timed change older than the stored time loses. Equal times apply
    (a device replaying its own write changes nothing); an untimed side never conflicts."""
    return change_time is not None and stored_time is not None and change_time < stored_time


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def change_stamp(change_time: int | None, stored_time: int | None, now: datetime) -> int:
    """The client time stored with an applied change: its own, or for an untimed change now
    (never earlier than what was stored, since the untimed change replaced it)."""
    if change_time is not None:
        return change_time
    return max(_unix(now), stored_time or 0)


def apply_change(
    current: ReadingProgress | None, change: ProgressChange, path: str, now: datetime
) -> ReadingProgress:
    """The position after ``change``, made at server time ``now``.

    Raises ``StaleProgress`` carrying the live position (None when cleared) when the change is
    older than the stored one. A new position needs a page number; fields a change leaves out
    keep their stored values, or start empty after a clear.
    """
    stored_time = None if current is None else current.client_updated_at
    if is_stale(change.client_time, stored_time):
        live = None if current is None or current.cleared else current
        raise StaleProgress("a newer position is stored", current=live)
    base = None if current is None or current.cleared else current
    page_number = change.page_number
    if page_number is None:
        if base is None:
            raise InvalidInput("page_number is required for a new position")
        page_number = base.page_number
    return ReadingProgress(
        path=path,
        page_number=page_number,
        total_pages=_keep(change.total_pages, None if base is None else base.total_pages),
        time_spent=_keep(change.time_spent, 0 if base is None else base.time_spent) or 0,
        updated_at=now,
        client_updated_at=change_stamp(change.client_time, stored_time, now),
    )


def clear(current: ReadingProgress, now: datetime) -> ReadingProgress:
    """The tombstone left when a position is deleted; older timed writes stay refused."""
    return replace(
        current,
        cleared=True,
        updated_at=now,
        client_updated_at=change_stamp(None, current.client_updated_at, now),
    )


def next_change_time(now: datetime, last: datetime | None) -> datetime:
    """The server time of a user's next change: strictly after their previous one.

    The feed pages by (time, id); if a change could land at or before a time a client has
    already paged past (a clock step back, two changes within one tick) it would be skipped.
    """
    if last is None or now > last:
        return now
    return last + TICK


def _keep(value: int | None, stored: int | None) -> int | None:
    return stored if value is None else value
