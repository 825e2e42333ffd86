from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bagboard.domain.model import ApiToken


class TokenStore(Protocol):
    """Persistence of API tokens. Only SHA-256 hashes are ever stored."""

    def add(self, user_id: int, name: str, token_hash: str, created_at: datetime) -> ApiToken: ...

    def find_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, revoked or not."""
        ...

    def list(self, user_id: int | None = None) -> list[ApiToken]:
        """Tokens (of one user, or all), in creation order."""
        ...

    def revoke(self, token_id: int, at: datetime) -> ApiToken | None:
        """Mark a token revoked (keeping the first revocation time); None when it does not exist."""
        ...

    def touch(self, token_id: int, at: datetime) -> None:
        """Record that the token was used at ``at``."""
        ...

    def exists_any(self) -> bool:
        """Whether any token was ever created (the API is disabled until one is)."""
        ...
