"""Statements compiled once and run on a Core transaction's own driver connection.

A position written is a handful of small statements in one transaction, and SQLAlchemy Core's
``execute`` (cache key, execution context, result wrapping) cost three times what SQLite took
to run each (45 against 11 us, measured on the save path): the statements a progress write
always runs are ``Compiled`` once per dialect and run on the driver connection of the write's
own ``engine.begin()``, in its transaction and before its commit, so the transaction, its
durability and its error handling stay Core's. Rarer steps (a new row, a path taken from
another row) keep Core. (``db/lean.py`` does the same for reads, on connections of their own.)
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Select, UpdateBase
from sqlalchemy.engine import Dialect

from bagboard.adapters.storage.db.errors import driver_error

__all__ = ["Compiled", "Found"]

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
        parameters = _parameters(plan, values)
        raw = conn.connection
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(plan.sql, parameters)
                found = cursor.fetchall() if plan.row is not None else []
            finally:
                cursor.close()  # before the connection may be invalidated below
        except dialect.loaded_dbapi.Error as error:
            raise driver_error(conn, plan.sql, parameters, error) from error
        return _converted(plan, found)

    def send(
        self, conn: Connection, cursor: Any, values: Mapping[str, Any]
    ) -> Callable[[], list[Found]]:
        """Run it with ``values`` on ``cursor``, a driver cursor of ``conn``; what it returns
        reads its rows from the cursor, as ``rows`` returns them, and closes it (a cursor
        holds the rows of the last statement run on it). In psycopg's pipeline mode
        the statement is only queued: its rows, or its error, are there once the pipeline has
        synced (``batches.py``)."""
        plan, parameters = self._run(conn, cursor, values)
        return partial(_read, conn, plan, parameters, cursor)

    def sql(self, dialect: Dialect) -> str:
        """Its SQL in ``dialect``."""
        return (self._plans.get(dialect.name) or self._compile(dialect)).sql

    def _run(self, conn: Connection, cursor: Any, values: Mapping[str, Any]) -> tuple[_Plan, Any]:
        dialect = conn.dialect
        plan = self._plans.get(dialect.name) or self._compile(dialect)
        parameters = _parameters(plan, values)
        try:
            cursor.execute(plan.sql, parameters)
        except BaseException as error:
            cursor.close()  # before the connection may be invalidated below
            if isinstance(error, dialect.loaded_dbapi.Error):
                raise driver_error(conn, plan.sql, parameters, error) from error
            raise
        return plan, parameters

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


def _read(conn: Connection, plan: _Plan, parameters: Any, cursor: Any) -> list[Found]:
    """The rows of ``plan`` run on ``cursor``, converted as Core converts them; closes it."""
    try:
        found = cursor.fetchall() if plan.row is not None else []
    except BaseException as error:
        cursor.close()  # before the connection may be invalidated below
        if isinstance(error, conn.dialect.loaded_dbapi.Error):
            raise driver_error(conn, plan.sql, parameters, error) from error
        raise
    cursor.close()
    return _converted(plan, found)


def _parameters(plan: _Plan, values: Mapping[str, Any]) -> Any:
    """``values`` as the driver takes them for ``plan``: converted as the column types
    convert them, in order for a qmark driver, by name otherwise."""
    binds = plan.binds
    if plan.order is not None:
        return tuple(
            values[name] if name not in binds else binds[name](values[name]) for name in plan.order
        )
    return {
        name: value if name not in binds else binds[name](value) for name, value in values.items()
    }


def _converted(plan: _Plan, found: Sequence[Any]) -> list[Found]:
    """A select's rows converted as Core converts them (an empty list for anything else)."""
    if plan.row is None:
        return []
    out = []
    for values_in_row in found:
        row = list(values_in_row)
        for i, process in plan.results:
            row[i] = process(row[i])
        out.append(plan.row(*row))
    return out


def _row_type(names: tuple[str, ...]) -> Callable[..., Found]:
    """Rows read by attribute, as Core's rows are."""
    return namedtuple("Found", names, rename=True)  # an unnamed column: _0, _1...
