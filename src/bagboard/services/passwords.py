"""Checking and setting passwords: the one path every sign-in takes (web form, HTTP Basic).

A check is throttled (``SignInLimiter``), takes about the same time whether or not the user
exists or has a password (an unknown user is verified against a dummy hash), upgrades a hash
made with older parameters, and is remembered for a few minutes: an OPDS reader sends Basic
credentials with every page request and must not pay a memory-hard hash each time. The memo
is keyed by an HMAC of the user name and password under a random per-process key (never the
password itself), is dropped when the password changes in this process, and is re-validated
against the stored hash whenever the change feed says accounts changed, in any process (or
after ``freshness.lifetime``; ``UNCACHED``: at every use).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import User
from bagboard.domain.passwords import MAX_PASSWORD_LENGTH, check_password, kosync_key
from bagboard.ports.change_feed import Change
from bagboard.ports.clock import Clock
from bagboard.ports.kosync_keys import KosyncKeyStore
from bagboard.ports.password_hasher import PasswordHasher
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.user_store import UserStore
from bagboard.services.recent_cache import UNCACHED, Freshness
from bagboard.services.sign_in_limits import SignInLimiter

__all__ = ["REMEMBER_VERIFIED", "WRONG_CREDENTIALS", "PasswordCheck"]

# One message for every failure: which of name or password was wrong is not said.
WRONG_CREDENTIALS = "Wrong user name or password."
REMEMBER_VERIFIED = timedelta(minutes=5)
MAX_REMEMBERED = 1024


@dataclass(frozen=True, slots=True)
class _Verified:
    user: User
    password_hash: str
    until: datetime  # the verification is trusted until then
    checked_at: datetime  # when the stored hash and user were last read...
    version: int  # ...and the version of ``Change.ACCESS`` then


class PasswordCheck:
    def __init__(
        self,
        users: UserStore,
        passwords: PasswordStore,
        hasher: PasswordHasher,
        limiter: SignInLimiter,
        clock: Clock,
        *,
        remember: timedelta = REMEMBER_VERIFIED,
        freshness: Freshness = UNCACHED,
        kosync_keys: KosyncKeyStore | None = None,
    ) -> None:
        self._users = users
        # KOReader's key (md5 of the password) is hashed beside the password whenever one is
        # set, and for a password set before, at its first sign-in (only then is it known).
        self._kosync_keys = kosync_keys
        self._passwords = passwords
        self._hasher = hasher
        self._limiter = limiter
        self._clock = clock
        self._remember = remember
        self._freshness = freshness
        self._memo_key = secrets.token_bytes(32)
        self._verified: dict[str, _Verified] = {}
        self._dummy: str | None = None
        self._lock = threading.Lock()

    def verify(self, name: str, password: str, address: str | None = None) -> User:
        """The user named ``name`` when ``password`` is theirs. Raises ``TooManyAttempts``
        when the name or ``address`` has too many recent failures (checked first), and
        ``Unauthorized`` (one message) for an unknown user, a user without a password, or a
        wrong password; each of those counts as a failure."""
        self._limiter.check(name, address)
        key = self._memo(name, password)
        remembered = self._remembered(key)
        if remembered is not None:
            self._limiter.succeeded(name)
            return remembered
        version = self._version()
        user = self._users.get_by_name(name.strip()) if name.strip() else None
        stored = None if user is None else self._passwords.password_hash(user.id)
        # Too long to be any password: refused without hashing megabytes.
        plausible = len(password) <= MAX_PASSWORD_LENGTH
        matches = plausible and self._hasher.verify(stored or self._dummy_hash(), password)
        if user is None or stored is None or not matches:
            self._limiter.failed(name, address)
            raise Unauthorized(WRONG_CREDENTIALS)
        self._limiter.succeeded(name)
        if self._hasher.needs_rehash(stored):
            stored = self._hasher.hash(password)
            self._passwords.set_password_hash(user.id, stored)
        if self._kosync_keys is not None and self._kosync_keys.password_hash(user.id) is None:
            self._kosync_keys.set_password_hash(user.id, self._hasher.hash(kosync_key(password)))
        self._remember_verified(key, user, stored, version)
        return user

    def set(self, user: User, password: str | None) -> bool:
        """Give ``user`` this password (``check_password`` rules; ``InvalidInput``), or none;
        False when the user no longer exists. Forgets every remembered check of the user."""
        digest = None if password is None else self._hasher.hash(check_password(password))
        stored = self._passwords.set_password_hash(user.id, digest)
        if self._kosync_keys is not None:
            key = None if password is None else self._hasher.hash(kosync_key(password))
            self._kosync_keys.set_password_hash(user.id, key)
        self.forget(user.id)
        return stored

    def forget(self, user_id: int | None = None) -> None:
        """Drop the remembered checks of one user, or of everyone."""
        with self._lock:
            if user_id is None:
                self._verified.clear()
                return
            for key in [k for k, v in self._verified.items() if v.user.id == user_id]:
                del self._verified[key]

    def _memo(self, name: str, password: str) -> str:
        message = f"{name.strip().casefold()}\0{password}".encode()
        return hmac.new(self._memo_key, message, hashlib.sha256).hexdigest()

    def _version(self) -> int:
        return self._freshness.changes.version(Change.ACCESS)

    def _remembered(self, key: str) -> User | None:
        version = self._version()  # before the rows it vouches for are read
        now = self._clock.now()
        with self._lock:
            hit = self._verified.get(key)
        if hit is None or now >= hit.until:
            return None
        if hit.version == version and now - hit.checked_at < self._freshness.lifetime():
            return hit.user
        user = self._users.get(hit.user.id)
        stored = None if user is None else self._passwords.password_hash(hit.user.id)
        if user is None or stored is None or not hmac.compare_digest(stored, hit.password_hash):
            with self._lock:
                self._verified.pop(key, None)
            return None
        with self._lock:
            self._verified[key] = _Verified(user, stored, hit.until, now, version)
        return user

    def _remember_verified(self, key: str, user: User, stored: str, version: int) -> None:
        now = self._clock.now()
        with self._lock:
            if len(self._verified) >= MAX_REMEMBERED:
                self._verified.clear()
            self._verified[key] = _Verified(user, stored, now + self._remember, now, version)

    def _dummy_hash(self) -> str:
        # Made once, with this hasher's parameters, so an unknown user costs what a known one
        # does.
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy
