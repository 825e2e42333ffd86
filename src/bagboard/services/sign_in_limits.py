"""The sign-in throttle: recent failures per address and per user name.

Kept in memory on purpose: the counts are worth little after a restart, and a database write
per failed attempt would hand a guesser a cheap way to load the server. The worker processes
of one server (``serve --workers N``) share theirs through an attempt log
(``ports/attempt_log.py``, files in the data folder): each failure is counted by every
worker, so N workers allow no more guesses than one.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime

from bagboard.domain.attempts import ADDRESS_LIMIT, USER_LIMIT, AttemptLimit
from bagboard.domain.errors import TooManyAttempts
from bagboard.ports.attempt_log import AttemptLog
from bagboard.ports.clock import Clock

__all__ = ["SignInLimiter"]

# Bounds the memory a flood of distinct addresses or names can take: past this many keys the
# ones with no failure inside the window are dropped first.
MAX_KEYS = 10_000


class SignInLimiter:
    """Refuses sign-ins for an address or a user name with too many recent failures."""

    def __init__(
        self,
        clock: Clock,
        *,
        per_user: AttemptLimit = USER_LIMIT,
        per_address: AttemptLimit = ADDRESS_LIMIT,
        shared: AttemptLog | None = None,
    ) -> None:
        """With ``shared``, the failures are kept there, for every process sharing it."""
        self._clock = clock
        self._shared = shared
        self._per_user = per_user
        self._per_address = per_address
        self._users: dict[str, deque[datetime]] = {}
        self._addresses: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def check(self, name: str, address: str | None) -> None:
        """Raise ``TooManyAttempts`` when the user name or the address may not try now."""
        now = self._clock.now()
        if self._shared is not None:
            waits = [self._per_user.retry_after(self._shared.times(_user_key(name)), now)]
            if address:
                times = self._shared.times(_address_key(address))
                waits.append(self._per_address.retry_after(times, now))
        else:
            with self._lock:
                waits = [self._per_user.retry_after(self._users.get(_user_key(name), ()), now)]
                if address:
                    recent = self._addresses.get(address, ())
                    waits.append(self._per_address.retry_after(recent, now))
        longest = max((w for w in waits if w is not None), default=None)
        if longest is not None:
            raise TooManyAttempts(
                f"Too many failed sign-ins; try again in {longest} seconds.", retry_after=longest
            )

    def failed(self, name: str, address: str | None) -> None:
        """Count a failed attempt against the user name and the address."""
        now = self._clock.now()
        if self._shared is not None:
            self._shared.add(_user_key(name), now)
            if address:
                self._shared.add(_address_key(address), now)
            return
        with self._lock:
            self._record(self._users, _user_key(name), now, self._per_user)
            if address:
                self._record(self._addresses, address, now, self._per_address)

    def succeeded(self, name: str) -> None:
        """A correct password clears the user name's failures (not the address's)."""
        if self._shared is not None:
            self._shared.forget(_user_key(name))
            return
        with self._lock:
            self._users.pop(_user_key(name), None)

    def _record(
        self, table: dict[str, deque[datetime]], key: str, now: datetime, limit: AttemptLimit
    ) -> None:
        if key not in table and len(table) >= MAX_KEYS:
            for stale in [k for k, times in table.items() if not limit.recent(times, now)]:
                del table[stale]
            if len(table) >= MAX_KEYS:
                table.clear()
        times = table.setdefault(key, deque(maxlen=limit.limit))
        times.append(now)


def _user_key(name: str) -> str:
    # Names are unique case-insensitively, so "Alice" and "alice" share one count.
    return "user " + name.strip().casefold()


def _address_key(address: str) -> str:
    return "address " + address
