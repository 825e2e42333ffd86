"""Device clocks against the server's: the times the conflict rule of ``progress.py`` compares
and stores, and the server times that order a user's changes."""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = [
    "CLOCK_TOLERANCE",
    "MAX_CLOCK_AHEAD",
    "TICK",
    "change_stamp",
    "is_stale",
    "live_time",
    "next_change_time",
    "stamped_by_server",
    "trusted_time",
    "unix",
]

# The smallest step of a stored time (both databases keep microseconds).
TICK = timedelta(microseconds=1)

# How far ahead of the server's clock a device's may be before it is taken to be wrong
# (contract §6): five minutes covers ordinary drift between a phone and a server.
MAX_CLOCK_AHEAD = 300
# How far a device's time may be behind a time the server stamped (seconds) and still apply
# (the KOReader sync notes, §4.6; KMReader allows the same): a phone a little behind the
# server is not refused right after a write that carried no clock.
CLOCK_TOLERANCE = 60


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


def trusted_time(client_time: int | None, now: datetime) -> int | None:
    """A device's clock reading as the conflict rule takes it (contract §6): more than
    ``MAX_CLOCK_AHEAD`` seconds ahead of the server's time ``now``, the clock is wrong and the
    server's time stands for it, so one device set to the year 2100 cannot freeze syncing."""
    if client_time is None:
        return None
    server = unix(now)
    return server if client_time > server + MAX_CLOCK_AHEAD else client_time


def live_time(stored: int | None, now: datetime) -> int | None:
    """A stored time as the conflict rule compares it: one still too far ahead (written before
    ``trusted_time``, or the server's clock has stepped back) orders nothing, so the next write
    stands and stores a time that does."""
    if stored is not None and stored > unix(now) + MAX_CLOCK_AHEAD:
        return None
    return stored


def is_stale(
    change_time: int | None, stored_time: int | None, *, server_stamped: bool = False
) -> bool:
    """The conflict rule: a timed change older than the stored time loses, or, when the server
    stamped the stored time (its change carried no clock), more than ``CLOCK_TOLERANCE``
    seconds older. Equal times apply (a device replaying its own write changes nothing); an
    untimed side never conflicts."""
    if change_time is None or stored_time is None:
        return False
    slack = CLOCK_TOLERANCE if server_stamped else 0
    return change_time < stored_time - slack


def change_stamp(change_time: int | None, stored_time: int | None, now: datetime) -> int:
    """The client time stored with an applied change: its own, or for an untimed change now
    (never earlier than what was stored, since the untimed change replaced it)."""
    if change_time is not None:
        return change_time
    return max(unix(now), stored_time or 0)


def stamped_by_server(
    change_time: int | None, stored_time: int | None, stored_by_server: bool, now: datetime
) -> bool:
    """Whether ``change_stamp`` is the server's time: for an untimed change, unless the stored
    time it kept (one still ahead of now) was a device's."""
    if change_time is not None:
        return False
    if stored_time is not None and stored_time > unix(now):
        return stored_by_server
    return True


def next_change_time(now: datetime, last: datetime | None) -> datetime:
    """The server time of a user's next change: strictly after their previous one.

    The feed pages by (time, id); if a change could land at or before a time a client has
    already paged past (a clock step back, two changes within one tick) it would be skipped.
    """
    if last is None or now > last:
        return now
    return last + TICK
