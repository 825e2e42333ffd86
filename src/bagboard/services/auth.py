"""The API gate: who is calling, or why nobody may."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from datetime import timedelta

from bagboard.domain.errors import ApiDisabled, Unauthorized
from bagboard.domain.model import ApiToken, User
from bagboard.domain.tokens import hash_secret, parse_credentials, session_mac
from bagboard.ports.clock import Clock
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore
from bagboard.services.recent_cache import RecentCache

__all__ = ["TOUCH_INTERVAL", "Authenticator", "Credential"]

# A read must not become a write on every request: last_used_at moves at most this often.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a request's credentials name, and by which token (a session is bound to it)."""

    token: ApiToken
    user: User


class Authenticator:
    """Turns request credentials into a ``User`` (contract §2)."""

    def __init__(
        self,
        users: UserStore,
        tokens: TokenStore,
        clock: Clock,
        *,
        cache_ttl: timedelta = timedelta(0),
        session_key: bytes = b"",
    ) -> None:
        self._users = users
        self._tokens = tokens
        self._clock = clock
        # A server passes a few seconds: a token revoked by another process (the CLI) is then
        # refused within that time; ``forget`` makes an in-process revocation immediate.
        self._cache: RecentCache[str, tuple[ApiToken, User] | None] = RecentCache(clock, cache_ttl)
        self._caching = cache_ttl > timedelta(0)
        self._sessions: RecentCache[str, tuple[ApiToken, User] | None] = RecentCache(
            clock, cache_ttl
        )
        self._session_key = session_key
        # Once a token exists the API stays enabled in this process; tokens are revoked, and
        # deleted only with their user (if those were the last, the next start finds none).
        self._enabled = False

    def authenticate(self, authorization: str | None, api_key: str | None = None) -> User:
        """Return the token's user.

        Raises ``ApiDisabled`` when no token was ever created (whatever the request carries) and
        ``Unauthorized`` for a missing, malformed, unknown or revoked token.
        """
        return self.credential(authorization, api_key).user

    def credential(self, authorization: str | None, api_key: str | None = None) -> Credential:
        """``authenticate``, with the token that matched (same errors)."""
        secret = parse_credentials(authorization, api_key)
        found = self._user_for(secret) if secret is not None else None
        if found is not None:
            return Credential(*found)
        if not self._enabled:
            self._enabled = self._tokens.exists_any()
        if not self._enabled:
            raise ApiDisabled(
                "The API is disabled until a token exists: run `bagboard token create`."
            )
        raise Unauthorized("A valid API token is required (Authorization: Bearer <token>).")

    def forget(self) -> None:
        """Drop every remembered token, so a change made in this process applies at once."""
        self._cache.forget()
        self._sessions.forget()

    # --- sessions: an opaque value standing for a token, for clients that keep cookies --------

    def session_value(self, token: ApiToken) -> str:
        """A value that ``session_user`` accepts for as long as ``token`` is active. It names
        the token and proves the server issued it; it never contains the secret."""
        mac = session_mac(token.token_hash, token.id, self._session_key)
        return f"{token.user_id}.{token.id}.{mac}"

    def session_user(self, value: str) -> User | None:
        """The user of a ``session_value``, or None when it is malformed, forged or its token
        has been revoked (or its user removed)."""
        found = self.session_credential(value)
        return None if found is None else found.user

    def session_credential(self, value: str) -> Credential | None:
        """``session_user``, with the token the session stands for (what a write through the
        session is attributed to)."""
        parts = value.strip().split(".")
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

    def _session_lookup(self, user_id: int, token_id: int) -> tuple[ApiToken, User] | None:
        token = next((t for t in self._tokens.list(user_id) if t.id == token_id), None)
        if token is None or not token.is_active:
            return None
        user = self._users.get(token.user_id)
        return None if user is None else (token, user)

    def _user_for(self, secret: str) -> tuple[ApiToken, User] | None:
        digest = hash_secret(secret)
        if self._caching:
            found = self._cache.get(digest, lambda: self._lookup(digest))
        else:
            found = self._lookup(digest)
        if found is None:
            return None
        token, user = found
        now = self._clock.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            self._tokens.touch(token.id, now)
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
