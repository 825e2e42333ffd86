from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bagboard.domain.model import ApiToken

__all__ = ["TokenStore"]


class TokenStore(Protocol):
    """Persistence of API tokens. Only SHA-256 hashes are ever stored.

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def add(self, user_id: int, name: str, token_hash: str, created_at: datetime) -> ApiToken:
        """Store a new, unrevoked, never-used token with the next id and return it as stored
        (``created_at`` in UTC). A store that keeps users raises ``UserNotFound`` for an unknown
        ``user_id``, and ``AlreadyExists`` for a hash already stored."""
        ...

    def find_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, revoked or not (the caller decides what a revoked one
        means); None when no token has it."""
        ...

    def list(self, user_id: int | None = None) -> list[ApiToken]:
        """Tokens of one user, or of everyone when ``user_id`` is None, revoked ones included,
        in creation (id) order. Empty when there are none."""
        ...

    def revoke(self, token_id: int, at: datetime) -> ApiToken | None:
        """Mark a token revoked (keeping the first revocation time); None when it does not exist."""
        ...

    def touch(self, token_id: int, at: datetime) -> None:
        """Record that the token was used at ``at`` (the last use wins, even when earlier).
        A token that does not exist is ignored, without error."""
        ...

    def exists_any(self) -> bool:
        """Whether any token was ever created, revoked ones included (the API is disabled
        until one is)."""
        ...
