"""A lean path for the read queries every list request runs: SQL built once, rows as tuples.

SQLAlchemy Core does a lot on each ``execute``: it builds and hashes the statement's cache
key, expands ``IN`` lists, sets up an execution context and wraps every row. On the small
indexed queries behind a list page that costs several times what the database does
(profiled under load: about 60% of a request's CPU inside SQLAlchemy, 4% in SQLite itself).

A ``Prepared`` statement is still written with SQLAlchemy, with ``bindparam`` for every value,
so the SQL of each dialect comes from one definition. It is compiled once per dialect and per
length of its list parameters, and runs on the driver's own cursor through ``LeanConnection``;
the column types' result processors (timestamps, SQLite's booleans) are applied to the rows, so
the values are the ones Core would return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Lock
from typing import Any, cast

from sqlalchemy import Engine, SelectBase, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.pool import PoolProxiedConnection

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.loans import Loan, shared_loan

__all__ = ["LeanConnection", "Prepared", "Row", "lean"]

Row = tuple[Any, ...]
_Process = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Plan:
    """One compiled form of a statement: its SQL and how to bind and read it."""

    sql: str
    # qmark drivers: each parameter in order, a list parameter spread whole in one step
    # (True); None for named parameters.
    layout: tuple[tuple[str, bool], ...] | None
    # PostgreSQL: the parameter of each ``$n`` placeholder, in order (see ``_numbered``).
    numbered: tuple[str, ...] | None
    constants: dict[str, Any]  # values written into the statement (``depth == 1``)
    binds: dict[str, _Process]  # parameters whose type converts the value (a list: each item)
    results: tuple[tuple[int, _Process], ...]  # columns whose type converts the value


def _padded(items: Sequence[Any]) -> Sequence[Any]:
    """A list parameter grown to the next power of two by repeating its last item: ``IN``
    finds the same rows, and a statement compiles once per size class instead of once per
    length (a list of comics of a few series may have any length)."""
    size = len(items)
    if size == 0:
        raise ValueError("a list parameter needs at least one value")
    bucket = 1 << (size - 1).bit_length()
    return items if bucket == size else [*items, *([items[-1]] * (bucket - size))]


class Prepared:
    """A statement with bound parameters, compiled on first use for each dialect and for
    each size class of its list parameters (``bindparam(name, expanding=True)``, passed as
    sequences, and used only with ``IN``: see ``_padded``). Safe to share between threads."""

    def __init__(self, statement: SelectBase) -> None:
        self._statement = statement
        self._lists = frozenset(
            name for name, bind in statement.compile().binds.items() if bind.expanding
        )
        self._plans: dict[tuple[str, tuple[int, ...]], _Plan] = {}
        self._lock = Lock()

    @property
    def statement(self) -> SelectBase:
        return self._statement

    def bind(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[_Plan, Any]:
        """The compiled form for ``values``, and the driver's parameters."""
        if self._lists:
            values = {
                name: _padded(value) if name in self._lists else value
                for name, value in values.items()
            }
        key = (dialect.name, tuple(len(values[name]) for name in sorted(self._lists)))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._compile(dialect, values, key)
        binds, constants = plan.binds, plan.constants
        if plan.layout is not None:
            parameters: list[Any] = []
            for name, spread in plan.layout:
                process = binds.get(name)
                if spread:
                    items = values[name]
                    parameters.extend(items if process is None else map(process, items))
                else:
                    value = constants[name] if name in constants else values[name]
                    parameters.append(value if process is None else process(value))
            return plan, tuple(parameters)
        flat = dict(constants)
        for name, value in values.items():
            process = binds.get(name)
            if name in self._lists:
                for i, item in enumerate(value, start=1):
                    flat[f"{name}_{i}"] = item if process is None else process(item)
            else:
                flat[name] = value if process is None else process(value)
        if plan.numbered is not None:
            return plan, tuple(flat[name] for name in plan.numbered)
        return plan, flat

    def _compile(
        self, dialect: Dialect, values: Mapping[str, Any], key: tuple[str, tuple[int, ...]]
    ) -> _Plan:
        compiled = self._statement.params(**values).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True}
        )
        if dialect.paramstyle not in ("qmark", "pyformat", "named"):
            raise NotImplementedError(f"paramstyle {dialect.paramstyle!r}")
        binds: dict[str, _Process] = {}
        constants = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if name in self._lists or name in values:
                if process is not None:
                    binds[name] = process
            else:
                constant = bind.effective_value
                constants[name] = constant if process is None else process(constant)
        results = []
        for i, column in enumerate(self._statement.selected_columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if process is not None:
                results.append((i, process))
        layout = None
        if dialect.paramstyle == "qmark":
            layout = self._layout(tuple(compiled.positiontup or ()), values)
            if any(n not in values and n not in constants for n, spread in layout if not spread):
                raise NotImplementedError("a list parameter rendered out of order")
        sql, numbered = compiled.string, None
        if dialect.name == "postgresql":
            sql, numbered = _numbered(sql)
        plan = _Plan(sql, layout, numbered, constants, binds, tuple(results))
        with self._lock:
            self._plans[key] = plan
        return plan

    def _layout(
        self, positions: tuple[str, ...], values: Mapping[str, Any]
    ) -> tuple[tuple[str, bool], ...]:
        """The qmark parameters in order, each run ``name_1 … name_n`` of a list parameter
        folded into one spread of that list."""
        runs = {
            f"{name}_1": (name, tuple(f"{name}_{i}" for i in range(1, len(values[name]) + 1)))
            for name in self._lists
        }
        layout: list[tuple[str, bool]] = []
        at = 0
        while at < len(positions):
            run = runs.get(positions[at])
            if run is not None and positions[at : at + len(run[1])] == run[1]:
                layout.append((run[0], True))
                at += len(run[1])
            else:
                layout.append((positions[at], False))
                at += 1
        return tuple(layout)


_PYFORMAT = re.compile(r"%%|%\(([^)]+)\)s")


def _numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    """A ``%(name)s`` statement (psycopg's pyformat) rewritten with PostgreSQL's own ``$n``
    placeholders, once, and its parameter names in ``$n`` order. psycopg parses a pyformat
    statement on every ``execute``, keeping the result only for short statements of at most
    50 parameters: a page's ``IN`` list of 64 comics was parsed again on each request (a fifth
    of the server's time on a page of issues, profiled). A raw cursor sends ``$n`` as it is."""
    names: dict[str, int] = {}

    def place(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        number = names.setdefault(name, len(names) + 1)
        return f"${number}"

    return _PYFORMAT.sub(place, sql), tuple(names)


class LeanConnection:
    """A pooled driver connection running ``Prepared`` statements; see ``lean``."""

    def __init__(self, loan: Loan, dialect: Dialect) -> None:
        self._loan = loan
        self.dialect = dialect
        self._cursor: DBAPICursor = _cursor(loan.raw, dialect)

    def all(self, statement: Prepared, **values: Any) -> list[Row]:
        plan, parameters = statement.bind(self.dialect, values)
        self._cursor.execute(plan.sql, parameters)
        rows: Sequence[Row] = self._cursor.fetchall()
        if not plan.results:
            return list(rows)
        out = []
        for row in rows:
            converted = list(row)
            for i, process in plan.results:
                converted[i] = process(converted[i])
            out.append(tuple(converted))
        return out

    def close(self) -> None:
        self._cursor.close()

    def first(self, statement: Prepared, **values: Any) -> Row | None:
        rows = self.all(statement, **values)
        return rows[0] if rows else None

    def scalar(self, statement: Prepared, **values: Any) -> Any:
        row = self.first(statement, **values)
        return None if row is None else row[0]


def _cursor(raw: PoolProxiedConnection, dialect: Dialect) -> DBAPICursor:
    """The driver's cursor; on PostgreSQL, psycopg's raw cursor, for ``$n`` statements."""
    if dialect.name == "postgresql":
        from psycopg import RawCursor  # loaded only by those who use PostgreSQL

        return cast("DBAPICursor", RawCursor(raw.driver_connection))  # type: ignore[arg-type]
    return raw.cursor()


@contextmanager
def lean(engine: Engine) -> Iterator[LeanConnection]:
    """A ``LeanConnection`` for reads only: the current request's on PostgreSQL
    (``loans.shared_reads``), else one from the engine's pool. Driver errors leave as domain
    errors (``translate_errors``), and a connection the server dropped is discarded.

    On PostgreSQL the reads run in autocommit: the pool ends every loan with a ROLLBACK, a
    round trip to the server when a transaction is open; reads that open none cost none.
    """
    dialect = engine.dialect
    with translate_errors():
        shared = shared_loan(engine) if dialect.name == "postgresql" else None
        loan = Loan(engine) if shared is None else shared[1]
        try:
            connection = LeanConnection(loan, dialect)
            try:
                yield connection
            finally:
                connection.close()
        except dialect.loaded_dbapi.Error as error:
            gone = loan.gone(error)
            if gone and not loan.dead:
                loan.discard(error)
            raise exc.DBAPIError.instance(
                None, None, error, dialect.loaded_dbapi.Error, connection_invalidated=gone
            ) from error
        finally:
            if shared is not None:
                shared[0].release(engine, loan, gone=loan.dead)
            else:
                loan.give_back()
