from __future__ import annotations

import threading
from collections.abc import Iterable

from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Role, User
from bagboard.ports.user_store import UserStore

__all__ = ["MemoryUserStore"]


class MemoryUserStore(UserStore):
    def __init__(self) -> None:
        self._users: dict[int, User] = {}
        self._lock = threading.Lock()

    def add(self, name: str, role: Role, library_ids: Iterable[int] | None = None) -> User:
        with self._lock:
            if any(u.name.casefold() == name.casefold() for u in self._users.values()):
                raise AlreadyExists(f"a user named {name!r} already exists")
            user = User(
                id=len(self._users) + 1,
                name=name,
                role=role,
                library_ids=None if library_ids is None else frozenset(library_ids),
            )
            self._users[user.id] = user
            return user

    def get(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def get_by_name(self, name: str) -> User | None:
        key = name.casefold()
        return next((u for u in self._users.values() if u.name.casefold() == key), None)

    def list(self) -> list[User]:
        return sorted(self._users.values(), key=lambda u: u.id)

    def first_owner(self) -> User | None:
        return next((u for u in self.list() if u.role is Role.OWNER), None)
