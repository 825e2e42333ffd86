from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import Role

__all__ = ["KosyncKeyStore"]


class KosyncKeyStore(Protocol):
    """Each user's KOReader key hash: a password hash (``PasswordHasher``) of md5(password)
    as 32 lowercase hex digits, which is what KOReader sends; never that md5 itself. Set
    with the user's password, so ``PasswordCheck`` verifies KOReader's key as it verifies a
    password (same shape as ``PasswordStore``). A user's hash goes with the user.
    """

    def password_hash(self, user_id: int) -> str | None:
        """The user's stored key hash; None when none is set or the user does not exist."""
        ...

    def set_password_hash(self, user_id: int, password_hash: str | None) -> bool:
        """Store the key hash, replacing any; None removes it. False when no such user."""
        ...

    def has_any(self, role: Role | None = None) -> bool:
        """Whether any user (of ``role``, when given) has a key hash."""
        ...
