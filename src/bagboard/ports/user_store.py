from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bagboard.domain.model import Role, User

__all__ = ["UserStore"]


class UserStore(Protocol):
    """Persistence of users and the libraries each may see.

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def add(self, name: str, role: Role, library_ids: Iterable[int] | None = None) -> User:
        """Create a user with the next id and return it. ``library_ids`` None lets the user see
        every library, present and future; a set limits them to those. Raises
        ``AlreadyExists`` (nothing stored) when the name is taken, compared case-insensitively;
        a store that keeps libraries raises ``LibraryNotFound`` for an unknown library id."""
        ...

    def get(self, user_id: int) -> User | None:
        """The user with this id; None when there is none."""
        ...

    def get_by_name(self, name: str) -> User | None:
        """The user of this name, compared case-insensitively; None when there is none."""
        ...

    def list(self) -> list[User]:
        """Every user, in creation (id) order; empty before the first is added."""
        ...

    def first_owner(self) -> User | None:
        """The earliest-created user with the ``owner`` role; None when there is none."""
        ...

    def update(
        self, user_id: int, role: Role, library_ids: Iterable[int] | None = None
    ) -> User | None:
        """Set the user's role and the libraries they may see (``library_ids`` as for ``add``,
        replacing what was allowed before) and return the user as stored now; None, writing
        nothing, when there is no such user. A store that keeps libraries raises
        ``LibraryNotFound`` (nothing changed) for an unknown library id."""
        ...

    def remove(self, user_id: int) -> User | None:
        """Delete the user and return it as it was; None when there is none. A store that
        keeps the user's API tokens, shelves, reading positions or read marks deletes them
        with it."""
        ...
