from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, RowMapping, bindparam, select

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import web_sessions
from bagboard.domain.errors import AlreadyExists, UserNotFound
from bagboard.domain.web_sessions import StoredSession
from bagboard.ports.web_session_store import WebSessionStore

__all__ = ["SqlWebSessionStore"]

_SELECT = select(
    web_sessions.c.id,
    web_sessions.c.user_id,
    web_sessions.c.secret_hash,
    web_sessions.c.csrf_token,
    web_sessions.c.created_at,
    web_sessions.c.expires_at,
    web_sessions.c.last_seen_at,
)


_FIND = Prepared(_SELECT.where(web_sessions.c.secret_hash == bindparam("secret_hash")))


class SqlWebSessionStore(WebSessionStore):
    """Sessions in ``web_sessions``; a user's rows cascade with the user."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self,
        user_id: int,
        secret_hash: str,
        csrf_token: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> StoredSession:
        with (
            translate_errors(
                duplicate=AlreadyExists("a session with that hash already exists"),
                missing=UserNotFound(f"no user with id {user_id}"),
            ),
            self._engine.begin() as conn,
        ):
            row = (
                conn.execute(
                    web_sessions.insert()
                    .values(
                        user_id=user_id,
                        secret_hash=secret_hash,
                        csrf_token=csrf_token,
                        created_at=created_at,
                        expires_at=expires_at,
                        last_seen_at=created_at,
                    )
                    .returning(*_SELECT.selected_columns)
                )
                .mappings()
                .one()
            )
            # Read back rather than echoed, so callers see the stored (UTC) form of the times.
            return _to_session(row)

    def find(self, secret_hash: str) -> StoredSession | None:
        # Every web page asks: the lean read path (``db/lean.py``).
        with lean(self._engine) as conn:
            row = conn.first(_FIND, secret_hash=secret_hash)
        return None if row is None else StoredSession(*row)

    def touch(self, session_id: int, at: datetime) -> None:
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(
                web_sessions.update().where(web_sessions.c.id == session_id).values(last_seen_at=at)
            )

    def remove(self, session_id: int) -> bool:
        with translate_errors(), self._engine.begin() as conn:
            deleted = conn.execute(
                web_sessions.delete().where(web_sessions.c.id == session_id)
            ).rowcount
            return bool(deleted)

    def remove_for_user(self, user_id: int, keep: int | None = None) -> int:
        criterion = web_sessions.c.user_id == user_id
        if keep is not None:
            criterion = criterion & (web_sessions.c.id != keep)
        with translate_errors(), self._engine.begin() as conn:
            deleted: int = conn.execute(web_sessions.delete().where(criterion)).rowcount
            return deleted

    def remove_expired(self, now: datetime) -> int:
        with translate_errors(), self._engine.begin() as conn:
            deleted: int = conn.execute(
                web_sessions.delete().where(web_sessions.c.expires_at <= now)
            ).rowcount
            return deleted


def _to_session(row: RowMapping) -> StoredSession:
    return StoredSession(
        id=row["id"],
        user_id=row["user_id"],
        secret_hash=row["secret_hash"],
        csrf_token=row["csrf_token"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        last_seen_at=row["last_seen_at"],
    )
