from __future__ import annotations

from typing import Protocol

__all__ = ["PasswordHasher"]


class PasswordHasher(Protocol):
    """A slow, salted, one-way password hash (argon2id in production)."""

    def hash(self, password: str) -> str:
        """A new self-describing hash of ``password`` (salt and parameters included): two calls
        with the same password give different strings. Never raises for a ``str``."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``password_hash``. False, never an exception, for a
        wrong password and for a hash this hasher cannot read (corrupt, another scheme)."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether ``password_hash`` was made with other parameters than this hasher's now
        (the caller then stores a new hash after a successful ``verify``)."""
        ...
