from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Engine, RowMapping, exists, select, true

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import api_tokens
from bagboard.domain.errors import AlreadyExists, UserNotFound
from bagboard.domain.model import ApiToken
from bagboard.ports.token_store import TokenStore

__all__ = ["SqlTokenStore"]

_SELECT = select(
    api_tokens.c.id,
    api_tokens.c.user_id,
    api_tokens.c.name,
    api_tokens.c.token_hash,
    api_tokens.c.created_at,
    api_tokens.c.last_used_at,
    api_tokens.c.revoked_at,
)


class SqlTokenStore(TokenStore):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, user_id: int, name: str, token_hash: str, created_at: datetime) -> ApiToken:
        with (
            translate_errors(
                duplicate=AlreadyExists("a token with that hash already exists"),
                missing=UserNotFound(f"no user with id {user_id}"),
            ),
            self._engine.begin() as conn,
        ):
            row = (
                conn.execute(
                    api_tokens.insert()
                    .values(
                        user_id=user_id, name=name, token_hash=token_hash, created_at=created_at
                    )
                    .returning(*_SELECT.selected_columns)
                )
                .mappings()
                .one()
            )
            # Read back rather than echoed, so callers see the stored (UTC) form of created_at.
            return _to_token(row)

    def find_by_hash(self, token_hash: str) -> ApiToken | None:
        return self._first(api_tokens.c.token_hash == token_hash)

    def list(self, user_id: int | None = None) -> list[ApiToken]:
        criterion = true() if user_id is None else api_tokens.c.user_id == user_id
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(_SELECT.where(criterion).order_by(api_tokens.c.id)).mappings()
            return [_to_token(row) for row in rows]

    def revoke(self, token_id: int, at: datetime) -> ApiToken | None:
        with translate_errors(), self._engine.begin() as conn:
            # The IS NULL guard makes a second revocation a no-op in one statement, race-free.
            conn.execute(
                api_tokens.update()
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            row = conn.execute(_SELECT.where(api_tokens.c.id == token_id)).mappings().first()
            return None if row is None else _to_token(row)

    def touch(self, token_id: int, at: datetime) -> None:
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(
                api_tokens.update().where(api_tokens.c.id == token_id).values(last_used_at=at)
            )

    def exists_any(self) -> bool:
        with translate_errors(), self._engine.connect() as conn:
            return bool(conn.execute(select(exists().select_from(api_tokens))).scalar())

    def _first(self, criterion: ColumnElement[bool]) -> ApiToken | None:
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(_SELECT.where(criterion)).mappings().first()
            return None if row is None else _to_token(row)


def _to_token(row: RowMapping) -> ApiToken:
    return ApiToken(
        id=row["id"],
        user_id=row["user_id"],
        name=row["name"],
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )
