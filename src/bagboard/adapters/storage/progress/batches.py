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
(switched back before the connection returns to the pool) inside Core's transaction, and
``opening`` sends the ``BEGIN`` itself. Core's transaction still ends it: its commit sends
``COMMIT`` when ``closing`` did not, its rollback ``ROLLBACK`` after an error (psycopg sends
either only while the server is in a transaction). Until ``opening``, nothing may run on such a
connection (it would commit on its own), nor after ``closing``.

Elsewhere (SQLite, or a PostgreSQL connection of ``engine.begin()``) each statement simply runs
in turn, as before. A statement's error reaches the caller as Core's (``DBAPIError``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine

from bagboard.adapters.storage.db.errors import driver_error
from bagboard.adapters.storage.progress.compiled import Compiled, Found

__all__ = ["closing", "opening", "transaction"]

Statement = tuple[Compiled, Mapping[str, Any]]


def transaction(engine: Engine) -> AbstractContextManager[Connection]:
    """``engine.begin()``; on PostgreSQL, a transaction that ``opening`` begins."""
    return _opened_by_us(engine) if engine.dialect.name == "postgresql" else engine.begin()


@contextmanager
def _opened_by_us(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        # Set directly, not as Core's isolation level (set, then reset on return): lending a
        # connection and beginning took 29 us that way, 20 us so.
        driver.autocommit = True
        try:
            with conn.begin():
                yield conn
        finally:
            if not conn.invalidated:
                try:
                    driver.autocommit = False  # the transaction is over: Core ended it
                except Exception:
                    conn.invalidate()  # still in one (it could not end): never pooled so


def opening(conn: Connection, *statements: Statement) -> list[Found]:
    """The rows of the last statement, all run in turn as a ``transaction``'s first: on
    PostgreSQL sent after ``BEGIN``, all in one round trip."""
    driver = _pipelined(conn)
    if driver is None:
        return [statement.rows(conn, values) for statement, values in statements][-1]
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
) -> list[Found]:
    """The rows of the last of ``statements`` (run after ``first``, then ``last``), all sent
    together in psycopg's pipeline mode on ``driver`` and answered together, on one cursor
    (fewer of the driver's objects to make per write); an error leaves as Core's."""
    cursor = driver.cursor()
    try:
        with driver.pipeline():
            if first is not None:
                cursor.execute(first, prepare=False)
            reads = [statement.send(conn, cursor, values) for statement, values in statements]
            if last is not None:
                cursor.execute(last, prepare=False)
    except BaseException as error:
        cursor.close()
        if isinstance(error, conn.dialect.loaded_dbapi.Error):
            sql = [statement.sql(conn.dialect) for statement, _ in statements]
            text = "; ".join(part for part in (first, *sql, last) if part is not None)
            raise driver_error(conn, text, None, error) from error
        raise
    # The cursor holds the last statement's result; after ``last`` (COMMIT) that is not the
    # statement's, but ``closing`` sends one that returns no rows.
    return reads[-1]()
