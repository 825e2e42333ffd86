"""The rows of one user's comic in either table, found and written by the stores' writes.

A row is found by the comic's id, else at a path no indexed comic holds (see ``tables.py``
on how the rows are keyed); a write links it to the key's comic and path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Row,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy import update as sql_update

from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress
from bagboard.adapters.storage.index.moved_paths import PathHolder, free_path
from bagboard.adapters.storage.progress.reads import device
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.progress import ComicKey, Device, ReadingProgress

__all__ = ["device_values", "find", "given", "progress", "write"]


def given(value: int | None, row: Row[Any] | None, name: str) -> int | None:
    """``value``, or when left out what the live row holds."""
    if value is not None:
        return value
    return None if row is None or row.deleted else getattr(row, name)


@dataclass(frozen=True, slots=True)
class _Finders:
    by_comic: Select[Any]
    by_path: Select[Any]
    update: Update
    insert: Insert


def _finders(table: Table) -> _Finders:
    """The row of a user's comic, by the comic's id or by a path no indexed comic holds."""
    columns = table.c
    base = select(
        table, func.coalesce(comics.c.path, columns.comic_path).label("current_path")
    ).select_from(table.outerjoin(comics, comics.c.id == columns.comic_id))
    mine = columns.user_id == bindparam("user_id")
    return _Finders(
        by_comic=base.where(mine, columns.comic_id == bindparam("comic_id")),
        by_path=base.where(
            mine, columns.comic_path == bindparam("path"), columns.comic_id.is_(None)
        ),
        # The columns to set are the keys of the parameters given with it.
        update=sql_update(table).where(columns.id == bindparam("row_id")),
        insert=table.insert(),
    )


_FINDERS = {table.name: _finders(table) for table in (reading_progress, read_marks)}


def find(conn: Connection, table: Table, user_id: int, key: ComicKey) -> Row[Any] | None:
    """The row for ``key``: the comic's own row, else one left at the path by a comic no longer
    indexed (or written for the path while it was not indexed)."""
    finders = _FINDERS[table.name]
    if key.comic_id is not None:
        found = conn.execute(finders.by_comic, {"user_id": user_id, "comic_id": key.comic_id})
        row = found.first()
        if row is not None:
            return row
    return conn.execute(finders.by_path, {"user_id": user_id, "path": key.path}).first()


def write(
    conn: Connection,
    table: Table,
    user_id: int,
    key: ComicKey,
    row: Row[Any] | None,
    values: Mapping[str, Any],
) -> None:
    """Store ``values`` in ``row`` (linking it to the key's comic and path), or a new row."""
    if row is not None:
        moved = row.comic_path != key.path
        if moved and _take_path(conn, table, user_id, key, row.id) is PathHolder.LINKED:
            moved = False  # keep the old path: another comic's row holds this one
        path = {"comic_path": key.path} if moved else {}
        changes = {"row_id": row.id, "comic_id": key.comic_id, **path, **values}
        conn.execute(_FINDERS[table.name].update, changes)
        return
    if _take_path(conn, table, user_id, key, None) is PathHolder.LINKED:
        raise ComicNotFound("that comic is not in the library")
    row_values = {"user_id": user_id, "comic_id": key.comic_id, "comic_path": key.path}
    conn.execute(_FINDERS[table.name].insert, {**row_values, **values})


def _take_path(
    conn: Connection, table: Table, user_id: int, key: ComicKey, own_id: int | None
) -> PathHolder:
    """Free ``key.path`` for the key's row: stale rows move on; an orphan still holding it is
    superseded by the comic's own row and dropped."""
    scope = (table.c.user_id == user_id,)
    holder = free_path(conn, table, table.c.comic_path, scope, key.path)
    if holder is PathHolder.UNLINKED and key.comic_id is not None:
        conn.execute(
            delete(table).where(
                *scope,
                table.c.comic_path == key.path,
                table.c.comic_id.is_(None),
                table.c.id != (own_id if own_id is not None else -1),
            )
        )
        return PathHolder.NONE
    return holder


def progress(row: Row[Any], path: str) -> ReadingProgress:
    return ReadingProgress(
        path=row.current_path if row.comic_id is not None else path,
        page_number=row.page_number,
        total_pages=row.total_pages,
        time_spent=row.time_spent,
        updated_at=row.updated_at,
        client_updated_at=row.client_updated_at,
        cleared=row.deleted,
        device=device(row.device_id, row.device_name),
        server_stamped=row.server_stamped,
    )


def device_values(device: Device | None) -> dict[str, str | None]:
    if device is None:
        return {"device_id": None, "device_name": None}
    return {"device_id": device.id, "device_name": device.name}
