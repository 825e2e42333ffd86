from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Column, ColumnElement, Engine, exists, select

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import users
from bagboard.domain.model import Role
from bagboard.ports.kosync_keys import KosyncKeyStore
from bagboard.ports.password_store import PasswordStore

__all__ = ["SqlKosyncKeys", "SqlPasswordStore"]


class SqlPasswordStore(PasswordStore):
    """Password hashes in their users' rows: removing a user removes its hash."""

    _column: ClassVar[Column[str]] = users.c.password_hash

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def password_hash(self, user_id: int) -> str | None:
        query = select(self._column).where(users.c.id == user_id)
        with translate_errors(), self._engine.connect() as conn:
            found: str | None = conn.execute(query).scalar()
            return found

    def set_password_hash(self, user_id: int, password_hash: str | None) -> bool:
        with translate_errors(), self._engine.begin() as conn:
            changed = conn.execute(
                users.update()
                .where(users.c.id == user_id)
                .values({self._column.name: password_hash})
            ).rowcount
            return bool(changed)

    def has_any(self, role: Role | None = None) -> bool:
        criteria: list[ColumnElement[bool]] = [self._column.is_not(None)]
        if role is not None:
            criteria.append(users.c.role == role.value)
        with translate_errors(), self._engine.connect() as conn:
            return bool(conn.execute(select(exists().where(*criteria))).scalar())


class SqlKosyncKeys(SqlPasswordStore, KosyncKeyStore):
    """KOReader key hashes (``ports.kosync_keys``), a column of their users' rows too."""

    _column: ClassVar[Column[str]] = users.c.kosync_key_hash
