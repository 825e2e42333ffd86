"""Web sign-in sessions as stored: the hash of the cookie secret, never the secret itself."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "CSRF_TOKEN_BYTES",
    "SESSION_LIFETIME",
    "SETUP_LINK_LIFETIME",
    "TOUCH_INTERVAL",
    "StoredSession",
    "new_csrf_token",
]

# Fixed, not sliding: a session ends 30 days after sign-in however much it is used, so a
# cookie copied off a machine stops working on a known date (the cookie's Max-Age matches).
SESSION_LIFETIME = timedelta(days=30)
# ``last_seen_at`` is for showing sessions to their user; a read must not become a write on
# every request, so it moves at most this often.
TOUCH_INTERVAL = timedelta(hours=1)
# How long the first-run link printed at start-up stays usable (once).
SETUP_LINK_LIFETIME = timedelta(minutes=10)
CSRF_TOKEN_BYTES = 32


def new_csrf_token() -> str:
    """A random URL-safe token (43 characters, 256 bits) for forms and ``X-CSRF-Token``."""
    return secrets.token_urlsafe(CSRF_TOKEN_BYTES)


@dataclass(frozen=True, slots=True)
class StoredSession:
    """One signed-in browser: whose, how it proves itself, and until when."""

    id: int
    user_id: int
    secret_hash: str  # hex SHA-256 of the cookie secret (domain/tokens.hash_secret)
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime

    def is_live(self, now: datetime) -> bool:
        return now < self.expires_at
