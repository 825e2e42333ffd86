"""The rows of one user's comic in either table, found and written by the stores' writes.

A row is found by the comic's id, else at a path no indexed comic holds (see ``tables.py``
on how the rows are keyed); a write links it to the key's comic and path.

A position written is a handful of small statements in one transaction, and SQLAlchemy Core's
``execute`` (cache key, execution context, result wrapping) cost three times what SQLite took
to run each (45 against 11 us, measured on the save path): the statements a write always runs
are ``Compiled`` once per dialect and run on the transaction's own driver connection, inside
the same ``engine.begin()`` and its commit. Rarer steps (a new row, a path taken from another
row) keep Core.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    Table,
    Update,
    UpdateBase,
    bindparam,
    delete,
    exc,
    func,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Dialect

from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress
from bagboard.adapters.storage.index.moved_paths import PathHolder, free_path
from bagboard.adapters.storage.progress.reads import device
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.progress import ComicKey, Device, ReadingProgress

__all__ = [
    "Compiled",
    "Found",
    "device_values",
    "find",
    "find_at_path",
    "find_statement",
    "given",
    "progress",
    "write",
]

# A row as ``find`` returns it: the table's columns and ``current_path``, by attribute.
Found = Any
_Process = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    order: tuple[str, ...] | None  # qmark drivers: the parameters in order; None: by name
    binds: dict[str, _Process]  # parameters whose type converts the value
    results: tuple[tuple[int, _Process], ...]  # columns whose type converts the value
    row: Callable[..., Found] | None  # a select's row, by column name


class Compiled:
    """A statement compiled once per dialect (an update or insert for the columns named in
    ``keys``, as Core's ``execute`` would set them) and run on a Core connection's driver
    connection, in its transaction, with the values the column types convert as Core would.
    Errors leave as Core's (``DBAPIError``), so ``translate_errors`` reads them as ever, and a
    connection the server dropped is invalidated. Safe to share between threads."""

    def __init__(self, statement: Select[Any] | UpdateBase, keys: tuple[str, ...] = ()) -> None:
        self._statement = statement
        self._keys = keys
        self._plans: dict[str, _Plan] = {}
        self._lock = Lock()

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[Found]:
        """Run it with ``values``; a select's rows (an empty list for anything else)."""
        dialect = conn.dialect
        plan = self._plans.get(dialect.name) or self._compile(dialect)
        binds = plan.binds
        if plan.order is not None:
            parameters: Any = tuple(
                values[name] if name not in binds else binds[name](values[name])
                for name in plan.order
            )
        else:
            parameters = {
                name: value if name not in binds else binds[name](value)
                for name, value in values.items()
            }
        raw = conn.connection
        cursor = raw.cursor()
        try:
            cursor.execute(plan.sql, parameters)
            found = cursor.fetchall() if plan.row is not None else []
        except dialect.loaded_dbapi.Error as error:
            gone = dialect.is_disconnect(error, raw.dbapi_connection, cursor)
            if gone:
                conn.invalidate(error)
            raise exc.DBAPIError.instance(
                plan.sql, parameters, error, dialect.loaded_dbapi.Error,
                connection_invalidated=gone,
            ) from error  # fmt: skip
        finally:
            cursor.close()
        if plan.row is None:
            return []
        out = []
        for values_in_row in found:
            row = list(values_in_row)
            for i, process in plan.results:
                row[i] = process(row[i])
            out.append(plan.row(*row))
        return out

    def first(self, conn: Connection, values: Mapping[str, Any]) -> Found | None:
        found = self.rows(conn, values)
        return found[0] if found else None

    def _compile(self, dialect: Dialect) -> _Plan:
        statement = self._statement
        compiled = statement.compile(dialect=dialect, column_keys=list(self._keys))
        binds: dict[str, _Process] = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds[name] = process
        results: list[tuple[int, _Process]] = []
        make_row: Callable[..., Found] | None = None
        if isinstance(statement, Select):
            columns = list(statement.selected_columns)
            for i, column in enumerate(columns):
                process = column.type.dialect_impl(dialect).result_processor(dialect, None)
                if process is not None:
                    results.append((i, process))
            make_row = _row_type(tuple(str(column.key) for column in columns))
        if dialect.paramstyle == "qmark":
            order: tuple[str, ...] | None = tuple(compiled.positiontup or ())
        elif dialect.paramstyle == "pyformat":
            order = None
        else:
            raise NotImplementedError(f"paramstyle {dialect.paramstyle!r}")
        plan = _Plan(compiled.string, order, binds, tuple(results), make_row)
        with self._lock:
            self._plans[dialect.name] = plan
        return plan


def _row_type(names: tuple[str, ...]) -> Callable[..., Found]:
    """Rows read by attribute, as Core's rows are."""
    return namedtuple("Found", names, rename=True)  # an unnamed column: _0, _1...


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
    return find_at_path(conn, table, user_id, key.path)


def find_at_path(conn: Connection, table: Table, user_id: int, path: str) -> Found | None:
    """The row at ``path`` that no indexed comic holds: ``find``'s second look."""
    return _FINDERS[table.name].by_path.first(conn, {"user_id": user_id, "path": path})


def find_statement(table: Table, *, by_comic: bool) -> Select[Any]:
    """``find``'s select of ``table``: by the comic's id (parameters ``user_id`` and
    ``comic_id``) or at a path no indexed comic holds (``user_id`` and ``path``), for a
    statement that reads more in the same round trip."""
    finders = _FINDERS[table.name]
    return finders.by_comic_select if by_comic else finders.by_path_select


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
) -> None:
    """Store ``values`` in ``row`` (linking it to the key's comic and path), or a new row."""
    if row is not None:
        moved = row.comic_path != key.path
        if moved and _take_path(conn, table, user_id, key, row.id) is PathHolder.LINKED:
            moved = False  # keep the old path: another comic's row holds this one
        path = {"comic_path": key.path} if moved else {}
        changes = {"row_id": row.id, "comic_id": key.comic_id, **path, **values}
        _update(table, tuple(name for name in changes if name != "row_id")).rows(conn, changes)
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
