"""The rows of one user's comic in either table, found and written by the stores' writes.

A row is found by the comic's id, else at a path no indexed comic holds (see ``tables.py``
on how the rows are keyed); a write links it to the key's comic and path. Every write first
takes the user's lock (``UserLock``), which also reads the row it changes. The statements a
write always runs are compiled once (``compiled.py``), and on PostgreSQL sent in two batches
(``batches.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    func,
    select,
    true,
)
from sqlalchemy import update as sql_update

from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress, users
from bagboard.adapters.storage.index.moved_paths import PathHolder, free_path
from bagboard.adapters.storage.progress.batches import closing, opening
from bagboard.adapters.storage.progress.compiled import Compiled, Found
from bagboard.adapters.storage.progress.reads import device
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.progress import ComicKey, Device, ReadingProgress, next_change_time

__all__ = ["Found", "UserLock", "device_values", "find", "given", "progress", "write"]


def given(value: int | None, row: Found | None, name: str) -> int | None:
    """``value``, or when left out what the live row holds."""
    if value is not None:
        return value
    return None if row is None or row.deleted else getattr(row, name)


@dataclass(frozen=True, slots=True)
class _Finders:
    by_comic_select: Select[Any]
    by_path_select: Select[Any]
    by_comic: Compiled
    by_path: Compiled
    update: Update
    insert: Insert
    # The compiled updates, by the columns they set (a handful of sets: see ``write``).
    updates: dict[tuple[str, ...], Compiled]


def _finders(table: Table) -> _Finders:
    """The row of a user's comic, by the comic's id or by a path no indexed comic holds."""
    columns = table.c
    base = select(
        table, func.coalesce(comics.c.path, columns.comic_path).label("current_path")
    ).select_from(table.outerjoin(comics, comics.c.id == columns.comic_id))
    mine = columns.user_id == bindparam("user_id")
    by_comic = base.where(mine, columns.comic_id == bindparam("comic_id"))
    by_path = base.where(mine, columns.comic_path == bindparam("path"), columns.comic_id.is_(None))
    return _Finders(
        by_comic_select=by_comic,
        by_path_select=by_path,
        by_comic=Compiled(by_comic),
        by_path=Compiled(by_path),
        # The columns to set are the keys of the parameters given with it.
        update=sql_update(table).where(columns.id == bindparam("row_id")),
        insert=table.insert(),
        updates={},
    )


_FINDERS = {table.name: _finders(table) for table in (reading_progress, read_marks)}


def find(conn: Connection, table: Table, user_id: int, key: ComicKey) -> Found | None:
    """The row for ``key``: the comic's own row, else one left at the path by a comic no longer
    indexed (or written for the path while it was not indexed)."""
    if key.comic_id is not None:
        values = {"user_id": user_id, "comic_id": key.comic_id}
        row = _FINDERS[table.name].by_comic.first(conn, values)
        if row is not None:
            return row
    return _FINDERS[table.name].by_path.first(conn, {"user_id": user_id, "path": key.path})


# PostgreSQL locks the user's row.
_LOCK_ROW = Compiled(select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update())
# An update that changes no row still takes SQLite's write lock when it starts, and leaves
# nothing behind: updating the user's row itself (even to the same name) would fire the
# ``users`` change trigger, so every reading position saved would tell every process that
# users had changed and drop its kept tokens. ``name`` is a column no key or foreign key
# involves, so no referencing table is checked either.
_TOUCH_USER = Compiled(
    sql_update(users)
    .where(users.c.id == bindparam("user_id"), users.c.id.is_(None))
    .values(name=users.c.name)
)


class UserLock:
    """Serialise one user's writes: called first in a write's transaction, it returns the
    server time of this write (after the user's ``last_changes``, scalar subqueries of
    ``user_id``) and the row of a table for the key (``find``), both read under the lock in one
    statement.

    SQLite takes its single write lock with the first write statement of a transaction, so one
    that changes no row comes first (a read first would start a snapshot that a concurrent
    commit invalidates); PostgreSQL locks the user's row. Only then are the times read: a
    statement's own snapshot, taken after the lock, sees every earlier write of the user. (On
    PostgreSQL both statements go in one round trip, with the transaction's ``BEGIN``: see
    ``batches.opening``; the server still runs the read after the lock is granted.)
    """

    def __init__(self, last_changes: Sequence[ColumnElement[Any]]) -> None:
        latest = select(*(t.label(f"latest_{n}") for n, t in enumerate(last_changes))).subquery()
        self._count = len(last_changes)
        self._reads: dict[tuple[str, bool], Compiled] = {}
        for table in (reading_progress, read_marks):
            finders = _FINDERS[table.name]
            for by_comic, found in (
                (True, finders.by_comic_select),
                (False, finders.by_path_select),
            ):
                row = found.subquery()
                both = select(latest, row).select_from(latest.outerjoin(row, true()))
                self._reads[table.name, by_comic] = Compiled(both)

    def __call__(
        self, conn: Connection, user_id: int, now: datetime, table: Table, key: ComicKey
    ) -> tuple[datetime, Found | None]:
        by_comic = key.comic_id is not None
        found = {"comic_id": key.comic_id} if by_comic else {"path": key.path}
        reads = self._reads[table.name, by_comic]
        if conn.dialect.name == "postgresql":
            lock = (_LOCK_ROW, {"user_id": user_id})
            (read,) = opening(conn, lock, (reads, {"user_id": user_id, **found}))
        else:
            _TOUCH_USER.rows(conn, {"user_id": user_id})
            (read,) = reads.rows(conn, {"user_id": user_id, **found})
        latest = (t for t in read[: self._count] if t is not None)
        at = next_change_time(now, max(latest, default=None))
        if read.id is not None or not by_comic:
            return at, None if read.id is None else read
        return at, _FINDERS[table.name].by_path.first(conn, {"user_id": user_id, "path": key.path})


def _update(table: Table, keys: tuple[str, ...]) -> Compiled:
    """The compiled update of ``table``'s row setting ``keys`` (besides ``row_id``)."""
    updates = _FINDERS[table.name].updates
    found = updates.get(keys)
    if found is None:
        found = updates.setdefault(keys, Compiled(_FINDERS[table.name].update, keys))
    return found


def write(
    conn: Connection,
    table: Table,
    user_id: int,
    key: ComicKey,
    row: Found | None,
    values: Mapping[str, Any],
    *,
    last: bool = False,
) -> None:
    """Store ``values`` in ``row`` (linking it to the key's comic and path), or a new row;
    ``last``: the transaction's last statement (``batches.closing``)."""
    if row is not None:
        moved = row.comic_path != key.path
        if moved and _take_path(conn, table, user_id, key, row.id) is PathHolder.LINKED:
            moved = False  # keep the old path: another comic's row holds this one
        path = {"comic_path": key.path} if moved else {}
        changes = {"row_id": row.id, "comic_id": key.comic_id, **path, **values}
        update = _update(table, tuple(name for name in changes if name != "row_id"))
        if last and conn.dialect.name == "postgresql":
            closing(conn, update, changes)
        else:
            update.rows(conn, changes)
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


def progress(row: Found, path: str) -> ReadingProgress:
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
