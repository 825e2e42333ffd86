"""The API gate: who is calling, or why nobody may.

A request names its caller with an API token (``Bearer``, ``X-API-Key``, or the password of
HTTP Basic, as OPDS and Komga apps send it) or, when the Basic password is not a valid token,
with the user's own name and password (``services/passwords.py``: throttled, and remembered
for a few minutes so a reader sending Basic on every page does not pay the hash each time).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bagboard.domain.errors import ApiDisabled, Unauthorized
from bagboard.domain.model import ApiToken, User
from bagboard.domain.passwords import parse_basic_login, password_session_mac
from bagboard.domain.tokens import hash_secret, parse_bearer, parse_credentials, session_mac
from bagboard.ports.change_feed import Change
from bagboard.ports.clock import Clock
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore
from bagboard.services.passwords import WRONG_CREDENTIALS, PasswordCheck
from bagboard.services.recent_cache import UNCACHED, Freshness, RecentCache

__all__ = ["TOUCH_INTERVAL", "Authenticator", "Credential"]

# A read must not become a write on every request: last_used_at moves at most this often.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a request's credentials name, and by which token (a session is bound to it);
    ``token`` is None when the user signed in with their password."""

    token: ApiToken | None
    user: User

    def same_signer(self, other: Credential) -> bool:
        """Whether both name the same user through the same token (or both by password)."""
        mine = None if self.token is None else self.token.id
        theirs = None if other.token is None else other.token.id
        return self.user.id == other.user.id and mine == theirs


class Authenticator:
    """Turns request credentials into a ``User`` (contract §2)."""

    def __init__(
        self,
        users: UserStore,
        tokens: TokenStore,
        clock: Clock,
        *,
        freshness: Freshness = UNCACHED,
        session_key: bytes = b"",
        passwords: PasswordCheck | None = None,
        password_store: PasswordStore | None = None,
        touch: Callable[[int, datetime], None] | None = None,
    ) -> None:
        self._users = users
        self._tokens = tokens
        self._clock = clock
        # How a token's last use is recorded: by default written at once; a server notes it
        # for a thread of its own (``touches.py``), so no request waits on that write.
        self._touch = touch or tokens.touch
        # A server passes the change feed: a token revoked by another process (the CLI) is
        # refused on the next request after the revocation reaches the feed; ``forget`` makes
        # an in-process revocation immediate.
        self._cache: RecentCache[str, tuple[ApiToken, User] | None] = RecentCache(
            clock, freshness, Change.ACCESS
        )
        self._caching = freshness is not UNCACHED
        self._sessions: RecentCache[str, tuple[ApiToken, User] | None] = RecentCache(
            clock, freshness, Change.ACCESS
        )
        self._session_key = session_key
        # Password sign-in over Basic: off unless both are given.
        self._passwords = passwords if password_store is not None else None
        self._password_store = password_store
        self._password_sessions: RecentCache[str, tuple[User, str] | None] = RecentCache(
            clock, freshness, Change.ACCESS
        )
        self._any_password: RecentCache[str, bool] = RecentCache(clock, freshness, Change.ACCESS)
        # Once a token exists the API stays enabled in this process; tokens are revoked, and
        # deleted only with their user (if those were the last, the next start finds none).
        self._enabled = False

    def authenticate(
        self, authorization: str | None, api_key: str | None = None, address: str | None = None
    ) -> User:
        """Return the token's user, or the user whose name and password Basic carries.

        Raises ``ApiDisabled`` when no token was ever created and no user has a password
        (whatever the request carries), ``Unauthorized`` for a missing, malformed, unknown or
        revoked token or a wrong password, and ``TooManyAttempts`` when the Basic user name or
        ``address`` (the client's) has too many recent password failures.
        """
        # A valid token (nearly every request) goes straight to its user. ``Bearer`` first, as
        # ``parse_credentials`` takes it: the common case with one call less.
        secret = parse_bearer(authorization) or parse_credentials(authorization, api_key)
        found = self._user_for(secret) if secret is not None else None
        if found is not None:
            return found[1]
        return self._without_token(authorization, address).user

    def credential(
        self, authorization: str | None, api_key: str | None = None, address: str | None = None
    ) -> Credential:
        """``authenticate``, with the token that matched (None for a password; same errors)."""
        secret = parse_credentials(authorization, api_key)
        found = self._user_for(secret) if secret is not None else None
        if found is not None:
            return Credential(*found)
        return self._without_token(authorization, address)

    def _without_token(self, authorization: str | None, address: str | None) -> Credential:
        # The token lookup failed; a Basic password may be the user's own.
        login = parse_basic_login(authorization)
        checker = self._passwords if login is not None and self._has_passwords() else None
        if checker is not None and login is not None:
            try:
                return Credential(None, checker.verify(*login, address))
            except Unauthorized:
                pass
        if not self._enabled:
            self._enabled = self._tokens.exists_any() or self._has_passwords()
        if not self._enabled:
            raise ApiDisabled(
                "The API is disabled until a token exists: run `bagboard token create`."
            )
        if checker is not None:
            raise Unauthorized(WRONG_CREDENTIALS)
        raise Unauthorized("A valid API token is required (Authorization: Bearer <token>).")

    def forget(self) -> None:
        """Drop every remembered token and password check, so a change made in this process
        applies at once."""
        self._cache.forget()
        self._sessions.forget()
        self._password_sessions.forget()
        self._any_password.forget()
        if self._passwords is not None:
            self._passwords.forget()

    def _has_passwords(self) -> bool:
        # Without any password, a failed token costs no hash and counts as no sign-in failure.
        store = self._password_store
        return store is not None and self._any_password.get("any", store.has_any)

    # --- sessions: an opaque value standing for a token, for clients that keep cookies --------

    def session_value(self, signer: ApiToken | Credential) -> str:
        """A value that ``session_user`` accepts for as long as the token is active, or, for a
        password sign-in, until the password changes. It names the token (or the user) and
        proves the server issued it; it never contains a secret."""
        token = signer if isinstance(signer, ApiToken) else signer.token
        if token is not None:
            mac = session_mac(token.token_hash, token.id, self._session_key)
            return f"{token.user_id}.{token.id}.{mac}"
        user_id = signer.user.id if isinstance(signer, Credential) else signer.user_id
        stored = self._password_store.password_hash(user_id) if self._password_store else None
        mac = password_session_mac(stored or "", user_id, self._session_key)
        return f"{user_id}.p.{mac}"

    def session_user(self, value: str) -> User | None:
        """The user of a ``session_value``, or None when it is malformed, forged or its token
        has been revoked (or its user removed)."""
        found = self.session_credential(value)
        return None if found is None else found.user

    def session_credential(self, value: str) -> Credential | None:
        """``session_user``, with the token the session stands for (what a write through the
        session is attributed to)."""
        parts = value.strip().split(".")
        if len(parts) == 3 and parts[1] == "p" and parts[0].isascii() and parts[0].isdigit():
            return self._password_session(value, int(parts[0]), parts[2])
        if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts[:2]):
            return None
        user_id, token_id, mac = int(parts[0]), int(parts[1]), parts[2]
        found = self._sessions.get(value, lambda: self._session_lookup(user_id, token_id))
        if found is None:
            return None
        token, user = found
        if not hmac.compare_digest(session_mac(token.token_hash, token.id, self._session_key), mac):
            return None
        return Credential(token, user)

    def _password_session(self, value: str, user_id: int, mac: str) -> Credential | None:
        store = self._password_store
        if store is None:
            return None
        found = self._password_sessions.get(
            value, lambda: _password_holder(self._users, store, user_id)
        )
        if found is None:
            return None
        user, stored = found
        expected = password_session_mac(stored, user_id, self._session_key)
        return Credential(None, user) if hmac.compare_digest(expected, mac) else None

    def _session_lookup(self, user_id: int, token_id: int) -> tuple[ApiToken, User] | None:
        token = next((t for t in self._tokens.list(user_id) if t.id == token_id), None)
        if token is None or not token.is_active:
            return None
        user = self._users.get(token.user_id)
        return None if user is None else (token, user)

    def _user_for(self, secret: str) -> tuple[ApiToken, User] | None:
        digest = hash_secret(secret)
        now = self._clock.now()
        if self._caching:
            found = self._cache.get(digest, lambda: self._lookup(digest), now)
        else:
            found = self._lookup(digest)
        if found is None:
            return None
        token, user = found
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            self._touch(token.id, now)
            self._cache.put(digest, (replace(token, last_used_at=now), user))
        return token, user

    def _lookup(self, digest: str) -> tuple[ApiToken, User] | None:
        token = self._tokens.find_by_hash(digest)
        # The lookup is by digest already; the explicit constant-time comparison keeps it
        # that way should a store ever match by prefix or collation.
        if token is None or not hmac.compare_digest(token.token_hash, digest):
            return None
        if not token.is_active:
            return None
        user = self._users.get(token.user_id)
        return None if user is None else (token, user)


def _password_holder(
    users: UserStore, passwords: PasswordStore, user_id: int
) -> tuple[User, str] | None:
    user = users.get(user_id)
    stored = None if user is None else passwords.password_hash(user_id)
    return None if user is None or stored is None else (user, stored)
