from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from itertools import count

from bagboard.domain.model import ApiToken
from bagboard.ports.token_store import TokenStore

__all__ = ["MemoryTokenStore"]


class MemoryTokenStore(TokenStore):
    def __init__(self) -> None:
        self._tokens: dict[int, ApiToken] = {}
        self._ids = count(1)
        self._lock = threading.Lock()

    def add(self, user_id: int, name: str, token_hash: str, created_at: datetime) -> ApiToken:
        with self._lock:
            token = ApiToken(
                id=next(self._ids),
                user_id=user_id,
                name=name,
                token_hash=token_hash,
                created_at=created_at,
            )
            self._tokens[token.id] = token
            return token

    def find_by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self._tokens.values() if t.token_hash == token_hash), None)

    def list(self, user_id: int | None = None) -> list[ApiToken]:
        return [
            t
            for t in sorted(self._tokens.values(), key=lambda t: t.id)
            if user_id is None or t.user_id == user_id
        ]

    def revoke(self, token_id: int, at: datetime) -> ApiToken | None:
        with self._lock:
            token = self._tokens.get(token_id)
            if token is None:
                return None
            if token.revoked_at is None:
                token = replace(token, revoked_at=at)
                self._tokens[token_id] = token
            return token

    def touch(self, token_id: int, at: datetime) -> None:
        with self._lock:
            token = self._tokens.get(token_id)
            if token is not None:
                self._tokens[token_id] = replace(token, last_used_at=at)

    def exists_any(self) -> bool:
        return bool(self._tokens)

    def forget_user(self, user_id: int) -> None:
        """A removed user's tokens go with it (they cascade in SQL)."""
        with self._lock:
            for token_id in [t.id for t in self._tokens.values() if t.user_id == user_id]:
                del self._tokens[token_id]
