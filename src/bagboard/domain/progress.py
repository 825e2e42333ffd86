"""Reading positions and read marks, and the rule that keeps an old write from winning.

Positions sync between devices that may be offline. A device that sends the time it made a
change (its own clock, unix seconds) gets a conditional write: a change older than the one
stored for that comic is refused, so a phone replaying yesterday's page never throws the
reader back. A change without a time applies unconditionally (the reference API has none) and
counts as made now, so replays older than it are refused in turn.

Most writes carry no device clock (Komga, KOReader sync, read marks, OPDS page tracking), so
they are stamped with the server's time, which a device's clock may lag by a little. A timed
change is therefore not stale against a stored time the server stamped unless it is more than
``CLOCK_TOLERANCE`` seconds older than it: a phone a few seconds behind can save right after a
Komga or KOReader write. Timed changes compare with timed stored times exactly. (The clock
rules themselves are in ``progress_clock.py``.)

A read mark also puts the position at the comic's last page (``read_position``), as Komga
does, so every reader that syncs positions sees the comic finished; unmarking leaves the
position where it is.

OPDS page tracking (PSE) reports the page a reader opened, in whatever order the requests
arrive: its writes are forward-only and move a position on, never back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bagboard.domain.errors import DomainError, InvalidInput
from bagboard.domain.progress_clock import (
    CLOCK_TOLERANCE,
    MAX_CLOCK_AHEAD,
    TICK,
    change_stamp,
    is_stale,
    live_time,
    next_change_time,
    stamped_by_server,
    trusted_time,
)
from bagboard.domain.text import is_storable

__all__ = [
    "CLOCK_TOLERANCE",
    "MAX_CLIENT_TIME",
    "MAX_CLOCK_AHEAD",
    "MAX_COUNT",
    "MAX_DEVICE_TEXT",
    "TICK",
    "ComicKey",
    "Device",
    "ProgressChange",
    "ReadingProgress",
    "StaleProgress",
    "apply_change",
    "change_stamp",
    "check_count",
    "clear",
    "holds",
    "is_stale",
    "next_change_time",
    "read_position",
    "stamped_by_server",
    "trusted_time",
]

# The largest page number, page count or number of seconds a position or mark keeps (stores
# hold them in 32 bits); anything bigger is not a reading, and must not reach a store.
MAX_COUNT = 2**31 - 1
# The largest device time (unix seconds) a write may carry: the last second of year 9999.
MAX_CLIENT_TIME = 253_402_300_799
# The longest device id or name kept: clients name themselves ("KOReader on Kobo Libra 2"),
# and a store must not hold whatever a client chose to send.
MAX_DEVICE_TEXT = 200


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
class Device:
    """The device that wrote a position, as an OPDS client names itself: shown to the reader's
    other devices ("continue where you left off on the tablet")."""

    id: str
    name: str

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("a device needs an id")
        for field, value in (("id", self.id), ("name", self.name)):
            if len(value) > MAX_DEVICE_TEXT:
                raise InvalidInput(f"device {field} must not be longer than {MAX_DEVICE_TEXT}")
            # Neither a NUL nor a lone surrogate can be stored as text (PostgreSQL refuses both).
            if not is_storable(value):
                raise InvalidInput(f"device {field} must be text")


@dataclass(frozen=True, slots=True)
class ReadingProgress:
    """A user's stored position in one comic; ``cleared`` when it was deleted (a tombstone).

    ``updated_at`` is the server's time of the last change (the sync feed's order);
    ``client_updated_at`` the device's time of it, which the conflict rule compares;
    ``device`` the device that made it (None when written through /api/v1, which names none);
    ``server_stamped`` whether ``client_updated_at`` is the server's time, the change having
    carried no device clock (it then gets ``CLOCK_TOLERANCE``).
    """

    path: str
    page_number: int
    total_pages: int | None
    time_spent: int
    updated_at: datetime
    client_updated_at: int | None = None
    cleared: bool = False
    device: Device | None = None
    server_stamped: bool = False


class StaleProgress(DomainError):
    """A progress write is older than the one already stored; ``current`` is the stored
    position (None when it was cleared), so the client can adopt it."""

    code = "stale"

    def __init__(self, message: str = "", *, current: ReadingProgress | None = None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True, slots=True)
class ComicReading:
    """One user's reading of one indexed comic, as a list shows it: the read mark and the live
    position (None when never saved or cleared)."""

    is_read: bool = False
    position: ReadingProgress | None = None

    @property
    def last_page(self) -> int | None:
        return None if self.position is None else self.position.page_number

    @property
    def has_progress(self) -> bool:
        return self.position is not None


NOT_READ = ComicReading()


@dataclass(frozen=True, slots=True)
class ProgressChange:
    """A write of a position. ``None`` leaves a stored field as it is; ``client_time`` is the
    device's clock when the reader got there (unix seconds), or None for an unconditional write.

    ``device`` is stored as the position's last writer (None: an /api/v1 client). A
    ``forward_only`` change (page tracking) only ever moves the position on: behind or at a live
    stored page it writes nothing. It carries no time, since page requests arrive in any order
    and their order is not the reader's.
    """

    page_number: int | None = None
    total_pages: int | None = None
    time_spent: int | None = None
    client_time: int | None = None
    device: Device | None = None
    forward_only: bool = False

    def __post_init__(self) -> None:
        for name in ("page_number", "total_pages", "time_spent"):
            check_count(name, getattr(self, name))
        # Clients send the device time as `updated_at` (contract §6): name it so in the error.
        check_count("updated_at", self.client_time, MAX_CLIENT_TIME)
        if self.forward_only:
            if self.client_time is not None:
                raise InvalidInput("a forward-only change carries no device time")
            if self.page_number is None:
                raise InvalidInput("a forward-only change needs a page_number")


def _stored_time(current: ReadingProgress | None, now: datetime) -> int | None:
    return live_time(None if current is None else current.client_updated_at, now)


def holds(current: ReadingProgress | None, change: ProgressChange) -> bool:
    """Whether the stored position stands against ``change``: a forward-only change to a page
    at or before the live stored one (a cleared position counts as none)."""
    return (
        change.forward_only
        and current is not None
        and not current.cleared
        and change.page_number is not None
        and current.page_number >= change.page_number
    )


def apply_change(
    current: ReadingProgress | None, change: ProgressChange, path: str, now: datetime
) -> ReadingProgress:
    """The position after ``change``, made at server time ``now``.

    Returns ``current`` itself when the change writes nothing (``holds``): a store then writes
    nothing either, so no new server time and no feed entry. Raises ``StaleProgress`` carrying
    the live position (None when cleared) when the change is older than the stored one. A new
    position needs a page number; fields a change leaves out keep their stored values, or start
    empty after a clear.
    """
    if current is not None and holds(current, change):
        return current
    stored_time = _stored_time(current, now)
    by_server = current is not None and current.server_stamped
    change_time = trusted_time(change.client_time, now)
    if is_stale(change_time, stored_time, server_stamped=by_server):
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
        client_updated_at=change_stamp(change_time, stored_time, now),
        device=change.device,
        server_stamped=stamped_by_server(change_time, stored_time, by_server, now),
    )


def clear(current: ReadingProgress, now: datetime) -> ReadingProgress:
    """The tombstone left when a position is deleted; older timed writes stay refused. Only
    /api/v1 deletes, so the last writer is no longer a named device."""
    stored_time = _stored_time(current, now)
    return replace(
        current,
        cleared=True,
        updated_at=now,
        client_updated_at=change_stamp(None, stored_time, now),
        device=None,
        server_stamped=stamped_by_server(None, stored_time, current.server_stamped, now),
    )


def _keep(value: int | None, stored: int | None) -> int | None:
    return stored if value is None else value


def read_position(page_count: int | None, device: Device | None = None) -> ProgressChange | None:
    """The position write that goes with a read mark: the last page of ``page_count``, forward
    only, so a position already there (or past it) is left as it is; None for a comic of no
    pages, or of a count nobody knows (an unindexed path marked without one)."""
    if page_count is None or page_count <= 0:
        return None
    return ProgressChange(
        page_number=page_count, total_pages=page_count, device=device, forward_only=True
    )
