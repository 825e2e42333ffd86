from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bagboard.domain.web_sessions import StoredSession

__all__ = ["WebSessionStore"]


class WebSessionStore(Protocol):
    """Persistence of web sign-in sessions. Only SHA-256 hashes of their secrets are stored;
    a user's sessions go when the user is removed.

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def add(
        self,
        user_id: int,
        secret_hash: str,
        csrf_token: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> StoredSession:
        """Store a new session with the next id, ``last_seen_at`` equal to ``created_at``, and
        return it as stored (times in UTC). Raises ``UserNotFound`` for an unknown user and
        ``AlreadyExists`` for a hash already stored (nothing stored either way)."""
        ...

    def find(self, secret_hash: str) -> StoredSession | None:
        """The session with this hash, expired or not (the caller decides); None when there is
        none, it was removed, or its user is gone."""
        ...

    def touch(self, session_id: int, at: datetime) -> None:
        """Record a use at ``at`` (the last call wins). An unknown id is ignored."""
        ...

    def remove(self, session_id: int) -> bool:
        """Delete the session; False when there was none."""
        ...

    def remove_for_user(self, user_id: int, keep: int | None = None) -> int:
        """Delete every session of the user except the one with id ``keep``; the number
        deleted."""
        ...

    def remove_expired(self, now: datetime) -> int:
        """Delete every session whose ``expires_at`` is not after ``now``; the number
        deleted."""
        ...
