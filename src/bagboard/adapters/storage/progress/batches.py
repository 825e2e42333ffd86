"""A progress write's statements sent together: on PostgreSQL, two round trips, not five.

A position saved on PostgreSQL was five round trips to the server, one after the other: the
driver's ``BEGIN``, the user's lock, the read of the row, its update, ``COMMIT``. Only the
read's answer is needed before anything else is sent (the update depends on it), so the
statements go in two batches, each sent whole in psycopg's pipeline mode and answered at once:
``BEGIN``, the lock and the read (``opening``); the update and ``COMMIT`` (``closing``). The
server still runs them one after the other, each with a snapshot of its own: the read, taken
after the lock is granted, sees every earlier write of the user (``rows.UserLock``).

psycopg opens a transaction with a ``BEGIN`` of its own, waited for before the first statement
(also in pipeline mode), so ``transaction`` lends a connection in the driver's autocommit
(Core's ``AUTOCOMMIT`` isolation, set back when the connection returns to the pool) inside
Core's transaction, and ``opening`` sends the ``BEGIN`` itself. Core's transaction still ends
it: its commit sends ``COMMIT`` when ``closing`` did not, its rollback ``ROLLBACK`` after an
error (psycopg sends either only while the server is in a transaction). Until ``opening``,
nothing may run on such a connection (it would commit on its own), nor after ``closing``.

Elsewhere (SQLite, or a PostgreSQL connection of ``engine.begin()``) each statement simply runs
in turn, as before. A statement's error reaches the caller as Core's (``DBAPIError``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine

from bagboard.adapters.storage.db.errors import driver_error
from bagboard.adapters.storage.progress.compiled import Compiled, Found

__all__ = ["closing", "opening", "transaction"]

Statement = tuple[Compiled, Mapping[str, Any]]


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """``engine.begin()``; on PostgreSQL, a transaction that ``opening`` begins."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        with conn.begin():
            yield conn


def opening(conn: Connection, *statements: Statement) -> list[list[Found]]:
    """The rows of each statement, run in turn as a ``transaction``'s first: on PostgreSQL
    sent after ``BEGIN``, all in one round trip."""
    driver = _pipelined(conn)
    if driver is None:
        return [statement.rows(conn, values) for statement, values in statements]
    begin = "BEGIN" if _status(driver) == "IDLE" else None
    return _pipeline(conn, driver, begin, statements, None)


def closing(conn: Connection, statement: Compiled, values: Mapping[str, Any]) -> None:
    """Run ``statement`` as a ``transaction``'s last: on PostgreSQL sent with ``COMMIT``, in
    one round trip."""
    driver = _pipelined(conn)
    if driver is None or _status(driver) != "INTRANS":
        statement.rows(conn, values)
        return
    _pipeline(conn, driver, None, ((statement, values),), "COMMIT")


def _pipelined(conn: Connection) -> Any:
    """The psycopg connection of a PostgreSQL ``transaction``, or None."""
    if conn.dialect.name != "postgresql":
        return None
    driver = conn.connection.driver_connection
    return driver if driver is not None and driver.autocommit else None


def _status(driver: Any) -> str:
    return str(driver.info.transaction_status.name)


def _pipeline(
    conn: Connection,
    driver: Any,
    first: str | None,
    statements: tuple[Statement, ...],
    last: str | None,
) -> list[list[Found]]:
    """The rows of ``statements`` (after ``first``, then ``last``), sent together in psycopg's
    pipeline mode on ``driver`` and answered together; an error leaves as Core's."""
    commands = []
    try:
        with driver.pipeline():
            if first is not None:
                commands.append(driver.execute(first, prepare=False))
            sent = [statement.send(conn, values) for statement, values in statements]
            if last is not None:
                commands.append(driver.execute(last, prepare=False))
    except conn.dialect.loaded_dbapi.Error as error:
        sql = [statement.sql(conn.dialect) for statement, _ in statements]
        text = "; ".join(part for part in (first, *sql, last) if part is not None)
        raise driver_error(conn, text, None, error) from error
    finally:
        for command in commands:
            command.close()
    return [read() for read in sent]
