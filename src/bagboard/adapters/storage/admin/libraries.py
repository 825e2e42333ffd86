from __future__ import annotations

from sqlalchemy import ColumnElement, Engine, RowMapping, select, true

from bagboard.adapters.storage.admin.forget import keep_reading_rows
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import libraries
from bagboard.adapters.storage.index.generation import IndexVersion, next_generation
from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Library
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.library_store import LibraryStore

__all__ = ["SqlLibraryStore"]

_SELECT = select(libraries.c.id, libraries.c.name, libraries.c.root, libraries.c.enabled)


class SqlLibraryStore(LibraryStore):
    def __init__(self, engine: Engine, changes: ChangeFeed | None = None) -> None:
        self._engine = engine
        self._version = IndexVersion(changes)

    def add(self, name: str, root: str) -> Library:
        with (
            translate_errors(duplicate=AlreadyExists("that folder is already a library")),
            self._engine.begin() as conn,
        ):
            library_id = conn.execute(
                libraries.insert()
                .values(name=name, root=root, enabled=True)
                .returning(libraries.c.id)
            ).scalar_one()
            # Built inside the transaction so a root the model rejects leaves no row behind.
            return Library(id=library_id, name=name, root=root, enabled=True)

    def get(self, library_id: int) -> Library | None:
        return self._first(libraries.c.id == library_id)

    def get_by_root(self, root: str) -> Library | None:
        return self._first(libraries.c.root == root)

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        criterion = libraries.c.enabled.is_(True) if enabled_only else true()
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(_SELECT.where(criterion).order_by(libraries.c.id)).mappings()
            return [_to_library(row) for row in rows]

    def set_enabled(self, library_id: int, enabled: bool) -> Library | None:
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(
                libraries.update().where(libraries.c.id == library_id).values(enabled=enabled)
            )
            row = conn.execute(_SELECT.where(libraries.c.id == library_id)).mappings().first()
            return None if row is None else _to_library(row)

    def remove(self, library_id: int) -> Library | None:
        with translate_errors(), self._engine.begin() as conn:
            row = conn.execute(_SELECT.where(libraries.c.id == library_id)).mappings().first()
            if row is None:
                return None
            keep_reading_rows(conn, library_id)
            # Folders, comics (with page lists and facets), scans, shelf entries and grants
            # cascade; positions and read marks lose their comic id (ON DELETE SET NULL).
            conn.execute(libraries.delete().where(libraries.c.id == library_id))
            next_generation(conn)
        # Committed: this process's values kept from the index go now.
        self._version.written()
        return _to_library(row)

    def _first(self, criterion: ColumnElement[bool]) -> Library | None:
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(_SELECT.where(criterion)).mappings().first()
            return None if row is None else _to_library(row)


def _to_library(row: RowMapping) -> Library:
    return Library(id=row["id"], name=row["name"], root=row["root"], enabled=row["enabled"])
