"""Web sign-in: passwords, the sessions behind the browser's cookie, and the first-run link.

Choices, for the pages built on this service:

- A session lasts ``SESSION_LIFETIME`` (30 days) from sign-in, fixed rather than sliding, so
  the cookie can carry the same expiry. Only the SHA-256 hash of the cookie secret is
  stored; the CSRF token is stored with it, one per session.
- Changing a password ends every other session of that user (``keep_session`` names the
  caller's own, which stays); clearing a password ends them all.
- The first-run setup link lives in the memory of the process that printed it, and of the
  worker processes it hands the link to (``setup_link``, ``adopt_setup_link``: its hash, never
  the secret): one link at a time, usable once (setting the first owner's password makes it
  void in every process), for ``SETUP_LINK_LIFETIME`` (10 minutes), only from the address it
  was issued for (every loopback address counts as the same machine). A restart forgets it
  and prints a new one while no owner has a password.
"""

from __future__ import annotations

import hmac
import ipaddress
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bagboard.domain.errors import InvalidInput, Unauthorized, UserNotFound
from bagboard.domain.model import Role, User
from bagboard.domain.passwords import check_password
from bagboard.domain.tokens import hash_secret, new_secret
from bagboard.domain.web_sessions import (
    SESSION_LIFETIME,
    SETUP_LINK_LIFETIME,
    TOUCH_INTERVAL,
    StoredSession,
    new_csrf_token,
)
from bagboard.ports.clock import Clock
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.user_store import UserStore
from bagboard.ports.web_session_store import WebSessionStore
from bagboard.services.accounts import AccountService, require_owner
from bagboard.services.passwords import PasswordCheck

__all__ = [
    "SETUP_LINK_REFUSED",
    "SetupLink",
    "WebSession",
    "WebSessionService",
    "same_address",
]

SETUP_LINK_REFUSED = (
    "This setup link is not valid: it was used already, has expired, or is for another address."
)
# Longer than any secret this service hands out; anything longer is not worth hashing.
MAX_SECRET_LENGTH = 256


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    user: User  # as stored now: role and library changes apply at once
    csrf_token: str  # random per session, for forms and X-CSRF-Token headers
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SetupLink:
    """A first-run link as a process checks it: no secret, only its hash."""

    secret_hash: str
    address: str
    expires_at: datetime


class WebSessionService:
    """Signs users in with a password and keeps their browser sessions."""

    def __init__(
        self,
        users: UserStore,
        passwords: PasswordStore,
        sessions: WebSessionStore,
        check: PasswordCheck,
        accounts: AccountService,
        clock: Clock,
        *,
        session_lifetime: timedelta = SESSION_LIFETIME,
        setup_lifetime: timedelta = SETUP_LINK_LIFETIME,
        touch: Callable[[int, datetime], None] | None = None,
    ) -> None:
        self._users = users
        self._passwords = passwords
        self._sessions = sessions
        # As the Authenticator's: a server writes a session's last use off the request.
        self._touch = touch or sessions.touch
        self._check = check
        self._accounts = accounts
        self._clock = clock
        self._session_lifetime = session_lifetime
        self._setup_lifetime = setup_lifetime
        self._setup: SetupLink | None = None
        self._setup_lock = threading.Lock()

    # --- sessions ---------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, address: str) -> tuple[str, WebSession]:
        """A new session for the user whose password this is: (cookie secret, session).
        Raises ``Unauthorized`` (one message for a wrong name, a wrong password and a user
        without a password) or ``TooManyAttempts`` (with ``retry_after`` seconds) when the
        address or the user name has too many recent failures."""
        user = self._check.verify(name, password, address)
        return self._open(user)

    def session(self, secret: str) -> WebSession | None:
        """The live session of this cookie secret; None when it is unknown, expired, signed
        out, or its user is gone."""
        found = self._find(secret)
        if found is None:
            return None
        stored, user = found
        now = self._clock.now()
        if now - stored.last_seen_at >= TOUCH_INTERVAL:
            self._touch(stored.id, now)
        return _session(stored, user)

    def sign_out(self, secret: str) -> None:
        """End the session of this cookie secret, if there is one: it is refused from now on."""
        stored = self._stored(secret)
        if stored is not None:
            self._sessions.remove(stored.id)

    # --- passwords --------------------------------------------------------------------------

    def set_password(
        self, user_name: str, password: str, *, keep_session: str | None = None
    ) -> None:
        """Give the user this password. Raises ``InvalidInput`` for a password shorter than 8
        or longer than 1024 characters and ``UserNotFound`` for an unknown user. Ends every
        session of the user except the one of ``keep_session`` (the caller's cookie secret,
        when the user changes their own password from a signed-in page)."""
        user = self._user(user_name)
        if not self._check.set(user, password):
            raise UserNotFound(f"no user named {user_name!r}")
        kept = self._stored(keep_session) if keep_session else None
        keep = kept.id if kept is not None and kept.user_id == user.id else None
        self._sessions.remove_for_user(user.id, keep=keep)

    def clear_password(self, user_name: str) -> bool:
        """Remove the user's password (they can then sign in with tokens only) and end all
        their sessions; False when they had none. ``UserNotFound`` for an unknown user."""
        user = self._user(user_name)
        had = self._passwords.password_hash(user.id) is not None
        self._check.set(user, None)
        self._sessions.remove_for_user(user.id)
        return had

    def set_password_as(
        self, actor: User, user_name: str, password: str, *, keep_session: str | None = None
    ) -> None:
        """``set_password`` for a signed-in owner (``Forbidden`` for anyone else)."""
        require_owner(actor, "set passwords")
        self.set_password(user_name, password, keep_session=keep_session)

    def clear_password_as(self, actor: User, user_name: str) -> bool:
        """``clear_password`` for a signed-in owner (``Forbidden`` for anyone else)."""
        require_owner(actor, "clear passwords")
        return self.clear_password(user_name)

    def has_password(self, user_name: str) -> bool:
        """Whether the user has a password; ``UserNotFound`` for an unknown user."""
        return self._passwords.password_hash(self._user(user_name).id) is not None

    # --- the first run ----------------------------------------------------------------------

    def setup_needed(self) -> bool:
        """True while no owner has a password: the first-run link is the way to set one."""
        return not self._passwords.has_any(Role.OWNER)

    def issue_setup_link(self, address: str) -> str:
        """A one-time secret for ``/setup/SECRET``, usable once, for 10 minutes, only from
        ``address``; it replaces any earlier link. ``InvalidInput`` when ``address`` is not
        an IP address, or when an owner has a password already."""
        bound = _normalise(address)
        if bound is None:
            raise InvalidInput(f"not an IP address: {address!r}")
        if not self.setup_needed():
            raise InvalidInput("an owner has a password already; no setup link is needed")
        secret = new_secret()
        link = SetupLink(hash_secret(secret), bound, self._clock.now() + self._setup_lifetime)
        with self._setup_lock:
            self._setup = link
        return secret

    def setup_link(self) -> SetupLink | None:
        """The link issued last, for the worker processes to check it too."""
        with self._setup_lock:
            return self._setup

    def adopt_setup_link(self, link: SetupLink) -> None:
        """Accept ``link``, issued by another process (the one that printed it), as this
        process's own."""
        with self._setup_lock:
            self._setup = link

    def redeem_setup(self, secret: str, address: str, password: str) -> tuple[str, WebSession]:
        """Set the first owner's password (the owner is created, named ``owner``, when there is
        none) and sign them in. ``Unauthorized`` when the link was used, expired, replaced, is
        for another address, or an owner has a password by now; ``InvalidInput`` for a
        password the rules refuse (the link stays usable then)."""
        with self._setup_lock:
            link = self._setup
            if not self._setup_valid(link, secret, address):
                raise Unauthorized(SETUP_LINK_REFUSED)
            # Checked before anything is written: a refused password leaves the link usable.
            check_password(password)
            owner = self._accounts.owner()
            self._check.set(owner, password)
            self._setup = None
        return self._open(owner)

    def _setup_valid(self, link: SetupLink | None, secret: str, address: str) -> bool:
        if link is None or len(secret) > MAX_SECRET_LENGTH:
            return False
        if not hmac.compare_digest(link.secret_hash, hash_secret(secret)):
            return False
        if self._clock.now() >= link.expires_at or not same_address(link.address, address):
            return False
        return self.setup_needed()

    # --- helpers ----------------------------------------------------------------------------

    def _open(self, user: User) -> tuple[str, WebSession]:
        now = self._clock.now()
        self._sessions.remove_expired(now)
        secret = new_secret()
        stored = self._sessions.add(
            user.id, hash_secret(secret), new_csrf_token(), now, now + self._session_lifetime
        )
        return secret, _session(stored, user)

    def _stored(self, secret: str) -> StoredSession | None:
        if not secret or len(secret) > MAX_SECRET_LENGTH:
            return None
        return self._sessions.find(hash_secret(secret))

    def _find(self, secret: str) -> tuple[StoredSession, User] | None:
        stored = self._stored(secret)
        if stored is None or not stored.is_live(self._clock.now()):
            return None
        user = self._users.get(stored.user_id)
        return None if user is None else (stored, user)

    def _user(self, name: str) -> User:
        user = self._users.get_by_name(name.strip()) if name.strip() else None
        if user is None:
            raise UserNotFound(f"no user named {name!r}")
        return user


def _session(stored: StoredSession, user: User) -> WebSession:
    return WebSession(stored.id, user, stored.csrf_token, stored.created_at, stored.expires_at)


def _normalise(address: str) -> str | None:
    """The address in one canonical spelling (IPv4-mapped IPv6 as IPv4), or None."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def same_address(bound: str, address: str) -> bool:
    """Whether a request from ``address`` is from the machine ``bound`` names: the same IP
    address, or both loopback (127.0.0.1 and ::1 are the same machine)."""
    one, other = _normalise(bound), _normalise(address)
    if one is None or other is None:
        return False
    if one == other:
        return True
    return ipaddress.ip_address(one).is_loopback and ipaddress.ip_address(other).is_loopback
