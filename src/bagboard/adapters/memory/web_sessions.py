"""Web sign-in sessions in memory, beside a user store.

A removed user's sessions go with it as SQL's cascade takes them: the store asks ``users``
whether the user still exists, and ids are never reused.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from itertools import count

from bagboard.domain.errors import AlreadyExists, UserNotFound
from bagboard.domain.web_sessions import StoredSession
from bagboard.ports.user_store import UserStore
from bagboard.ports.web_session_store import WebSessionStore

__all__ = ["MemoryWebSessionStore"]


class MemoryWebSessionStore(WebSessionStore):
    def __init__(self, users: UserStore) -> None:
        self._users = users
        self._sessions: dict[int, StoredSession] = {}
        self._ids = count(1)
        self._lock = threading.Lock()

    def add(
        self,
        user_id: int,
        secret_hash: str,
        csrf_token: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> StoredSession:
        if self._users.get(user_id) is None:
            raise UserNotFound(f"no user with id {user_id}")
        with self._lock:
            if any(s.secret_hash == secret_hash for s in self._sessions.values()):
                raise AlreadyExists("a session with that hash already exists")
            stored = StoredSession(
                id=next(self._ids),
                user_id=user_id,
                secret_hash=secret_hash,
                csrf_token=csrf_token,
                # Kept in UTC, as the SQL stores give times back.
                created_at=created_at.astimezone(UTC),
                expires_at=expires_at.astimezone(UTC),
                last_seen_at=created_at.astimezone(UTC),
            )
            self._sessions[stored.id] = stored
            return stored

    def find(self, secret_hash: str) -> StoredSession | None:
        with self._lock:
            found = next((s for s in self._sessions.values() if s.secret_hash == secret_hash), None)
        if found is None or self._users.get(found.user_id) is None:
            return None
        return found

    def touch(self, session_id: int, at: datetime) -> None:
        with self._lock:
            stored = self._sessions.get(session_id)
            if stored is not None:
                self._sessions[session_id] = replace(stored, last_seen_at=at.astimezone(UTC))

    def remove(self, session_id: int) -> bool:
        with self._lock:
            stored = self._sessions.pop(session_id, None)
        return stored is not None and self._users.get(stored.user_id) is not None

    def remove_for_user(self, user_id: int, keep: int | None = None) -> int:
        with self._lock:
            doomed = [
                s.id for s in self._sessions.values() if s.user_id == user_id and s.id != keep
            ]
            for session_id in doomed:
                del self._sessions[session_id]
        return len(doomed) if self._users.get(user_id) is not None else 0

    def remove_expired(self, now: datetime) -> int:
        with self._lock:
            doomed = [s for s in self._sessions.values() if s.expires_at <= now]
            for stored in doomed:
                del self._sessions[stored.id]
        return sum(1 for s in doomed if self._users.get(s.user_id) is not None)
