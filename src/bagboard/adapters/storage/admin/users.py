from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, select

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import user_libraries, users
from bagboard.domain.errors import AlreadyExists, LibraryNotFound
from bagboard.domain.model import Role, User
from bagboard.ports.user_store import UserStore

__all__ = ["SqlUserStore"]

_COLUMNS = (users.c.id, users.c.name, users.c.role, users.c.all_libraries)


class SqlUserStore(UserStore):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, name: str, role: Role, library_ids: Iterable[int] | None = None) -> User:
        allowed = None if library_ids is None else frozenset(library_ids)
        with (
            translate_errors(
                duplicate=AlreadyExists(f"a user named {name!r} already exists"),
                missing=LibraryNotFound("a user cannot be given a library that does not exist"),
            ),
            self._engine.begin() as conn,
        ):
            user_id = conn.execute(
                users.insert()
                .values(
                    name=name,
                    name_key=name.casefold(),
                    role=role.value,
                    all_libraries=allowed is None,
                )
                .returning(users.c.id)
            ).scalar_one()
            if allowed:
                conn.execute(
                    user_libraries.insert(),
                    [{"user_id": user_id, "library_id": lib} for lib in sorted(allowed)],
                )
            # Built inside the transaction so a name the model rejects leaves no row behind.
            return User(id=user_id, name=name, role=role, library_ids=allowed)

    def get(self, user_id: int) -> User | None:
        return self._first(users.c.id == user_id)

    def get_by_name(self, name: str) -> User | None:
        return self._first(users.c.name_key == name.casefold())

    def list(self) -> list[User]:
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(select(*_COLUMNS).order_by(users.c.id)).mappings().all()
            return _to_users(conn, rows)

    def first_owner(self) -> User | None:
        return self._first(users.c.role == Role.OWNER.value)

    def update(
        self, user_id: int, role: Role, library_ids: Iterable[int] | None = None
    ) -> User | None:
        allowed = None if library_ids is None else frozenset(library_ids)
        with (
            translate_errors(
                missing=LibraryNotFound("a user cannot be given a library that does not exist")
            ),
            self._engine.begin() as conn,
        ):
            changed = conn.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(role=role.value, all_libraries=allowed is None)
            ).rowcount
            if not changed:
                return None
            conn.execute(user_libraries.delete().where(user_libraries.c.user_id == user_id))
            if allowed:
                conn.execute(
                    user_libraries.insert(),
                    [{"user_id": user_id, "library_id": lib} for lib in sorted(allowed)],
                )
            rows = conn.execute(select(*_COLUMNS).where(users.c.id == user_id)).mappings().all()
            return _to_users(conn, rows)[0]

    def remove(self, user_id: int) -> User | None:
        with translate_errors(), self._engine.begin() as conn:
            rows = conn.execute(select(*_COLUMNS).where(users.c.id == user_id)).mappings().all()
            if not rows:
                return None
            user = _to_users(conn, rows)[0]
            # Tokens, grants, shelves, positions and read marks cascade (tables.user_fk).
            conn.execute(users.delete().where(users.c.id == user_id))
            return user

    def _first(self, criterion: ColumnElement[bool]) -> User | None:
        """The earliest-created user matching ``criterion``."""
        query = select(*_COLUMNS).where(criterion).order_by(users.c.id).limit(1)
        with translate_errors(), self._engine.connect() as conn:
            found = _to_users(conn, conn.execute(query).mappings().all())
            return found[0] if found else None


def _to_users(conn: Connection, rows: Sequence[RowMapping]) -> list[User]:
    restricted = [row["id"] for row in rows if not row["all_libraries"]]
    allowed: dict[int, set[int]] = defaultdict(set)
    if restricted:
        links = conn.execute(
            select(user_libraries.c.user_id, user_libraries.c.library_id).where(
                user_libraries.c.user_id.in_(restricted)
            )
        )
        for user_id, library_id in links:
            allowed[user_id].add(library_id)
    return [
        User(
            id=row["id"],
            name=row["name"],
            role=Role(row["role"]),
            library_ids=None if row["all_libraries"] else frozenset(allowed[row["id"]]),
        )
        for row in rows
    ]
