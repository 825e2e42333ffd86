from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import Role

__all__ = ["PasswordStore"]


class PasswordStore(Protocol):
    """Each user's password hash, or none. A user's hash goes when the user is removed.

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def password_hash(self, user_id: int) -> str | None:
        """The user's stored hash; None when the user has no password or does not exist."""
        ...

    def set_password_hash(self, user_id: int, password_hash: str | None) -> bool:
        """Store ``password_hash`` for the user, replacing any; None removes the password.
        False, storing nothing, when there is no such user."""
        ...

    def has_any(self, role: Role | None = None) -> bool:
        """Whether any user (of ``role``, when given) has a password."""
        ...
