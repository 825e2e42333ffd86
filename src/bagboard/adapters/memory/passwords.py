"""Password hashes in memory, beside a user store.

A removed user's hash goes with it as in SQL (where it is a column of the user's row): the
store asks ``users`` whether the user still exists, and ids are never reused.
"""

from __future__ import annotations

import threading

from bagboard.domain.model import Role
from bagboard.ports.kosync_keys import KosyncKeyStore
from bagboard.ports.password_store import PasswordStore
from bagboard.ports.user_store import UserStore

__all__ = ["MemoryKosyncKeys", "MemoryPasswordStore"]


class MemoryPasswordStore(PasswordStore):
    def __init__(self, users: UserStore) -> None:
        self._users = users
        self._hashes: dict[int, str] = {}
        self._lock = threading.Lock()

    def password_hash(self, user_id: int) -> str | None:
        if self._users.get(user_id) is None:
            self._drop(user_id)
            return None
        return self._hashes.get(user_id)

    def set_password_hash(self, user_id: int, password_hash: str | None) -> bool:
        if self._users.get(user_id) is None:
            self._drop(user_id)
            return False
        with self._lock:
            if password_hash is None:
                self._hashes.pop(user_id, None)
            else:
                self._hashes[user_id] = password_hash
        return True

    def has_any(self, role: Role | None = None) -> bool:
        with self._lock:
            holders = list(self._hashes)
        for user_id in holders:
            user = self._users.get(user_id)
            if user is not None and (role is None or user.role is role):
                return True
        return False

    def _drop(self, user_id: int) -> None:
        with self._lock:
            self._hashes.pop(user_id, None)


class MemoryKosyncKeys(MemoryPasswordStore, KosyncKeyStore):
    """KOReader key hashes (``ports.kosync_keys``), kept apart from the passwords."""
