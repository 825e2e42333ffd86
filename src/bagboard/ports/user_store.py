from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bagboard.domain.model import Role, User


class UserStore(Protocol):
    """Persistence of users and the libraries each may see."""

    def add(self, name: str, role: Role, library_ids: Iterable[int] | None = None) -> User:
        """Create a user. Raises ``AlreadyExists`` when the name (case-insensitive) is taken."""
        ...

    def get(self, user_id: int) -> User | None: ...

    def get_by_name(self, name: str) -> User | None:
        """Look a user up by name, case-insensitively."""
        ...

    def list(self) -> list[User]:
        """Every user, in creation order."""
        ...

    def first_owner(self) -> User | None:
        """The earliest-created user with the ``owner`` role, if any."""
        ...
