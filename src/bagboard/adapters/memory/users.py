from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from itertools import count

from bagboard.adapters.memory.followers import FollowsUsers
from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Role, User
from bagboard.ports.user_store import UserStore

__all__ = ["MemoryUserStore"]


class MemoryUserStore(UserStore):
    """``followers`` hold the rows a removed user takes with it (see ``followers.py``)."""

    def __init__(self, *followers: FollowsUsers) -> None:
        self._users: dict[int, User] = {}
        self._ids = count(1)
        self._followers = followers
        self._lock = threading.Lock()

    def add(self, name: str, role: Role, library_ids: Iterable[int] | None = None) -> User:
        with self._lock:
            if any(u.name.casefold() == name.casefold() for u in self._users.values()):
                raise AlreadyExists(f"a user named {name!r} already exists")
            user = User(
                id=next(self._ids),
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

    def update(
        self, user_id: int, role: Role, library_ids: Iterable[int] | None = None
    ) -> User | None:
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                return None
            allowed = None if library_ids is None else frozenset(library_ids)
            user = replace(user, role=role, library_ids=allowed)
            self._users[user_id] = user
            return user

    def remove(self, user_id: int) -> User | None:
        with self._lock:
            user = self._users.pop(user_id, None)
        if user is not None:
            for follower in self._followers:
                follower.forget_user(user_id)
        return user

    def forget_library(self, library_id: int) -> None:
        """A removed library leaves every allowance (the grant rows cascade in SQL)."""
        with self._lock:
            for user in list(self._users.values()):
                if user.library_ids is not None and library_id in user.library_ids:
                    allowed = user.library_ids - {library_id}
                    self._users[user.id] = replace(user, library_ids=allowed)
