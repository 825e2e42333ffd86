"""Translation of database driver errors into domain errors, at the adapter boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from bagboard.domain.errors import DomainError, StorageUnavailable

__all__ = ["driver_error", "translate_errors"]

# SQLite result codes (sqlite3.Error.sqlite_errorname) that mean "try again later" rather
# than "this statement is wrong".
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
_SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
_SQLITE_FOREIGN_KEY = ("SQLITE_CONSTRAINT_FOREIGNKEY",)

# PostgreSQL SQLSTATE classes and codes with the same meaning: connection exceptions,
# insufficient resources, operator intervention (shutdown, recovery), serialization failure,
# deadlock and lock timeouts.
_PG_UNAVAILABLE_PREFIXES = ("08", "53", "57P", "40001", "40P01", "55P03")
_PG_UNIQUE = "23505"
_PG_FOREIGN_KEY = "23503"


@contextmanager
def translate_errors(
    *, duplicate: DomainError | None = None, missing: DomainError | None = None
) -> Iterator[None]:
    """Re-raise driver errors from the block as domain errors.

    Locks, timeouts and lost connections become ``StorageUnavailable``. A unique-constraint
    violation becomes ``duplicate`` and a foreign-key violation ``missing``, when given; any
    other database error is a bug and propagates unchanged.
    """
    try:
        yield
    except sa_exc.TimeoutError as exc:  # the connection pool is exhausted
        raise StorageUnavailable("the database is busy; try again") from exc
    except sa_exc.DBAPIError as exc:
        if duplicate is not None and _is_unique_violation(exc):
            raise duplicate from exc
        if missing is not None and _is_foreign_key_violation(exc):
            raise missing from exc
        if _is_unavailable(exc):
            raise StorageUnavailable("the database is unavailable; try again") from exc
        raise


def driver_error(
    conn: Connection, statement: str, parameters: Any, error: Any
) -> sa_exc.StatementError:
    """``error`` (the driver's ``Error``), raised for ``statement`` run on the driver
    connection of Core's ``conn`` (past Core's ``execute``), as Core would raise it: a
    ``DBAPIError``, which ``translate_errors`` reads, with the connection invalidated when the
    error says it is gone (the pool then drops it)."""
    dialect = conn.dialect
    gone = dialect.is_disconnect(error, conn.connection.dbapi_connection, None)
    wrapped: sa_exc.StatementError = sa_exc.DBAPIError.instance(
        statement, parameters, error, dialect.loaded_dbapi.Error,
        connection_invalidated=gone, dialect=dialect,
    )  # fmt: skip
    if gone:
        conn.invalidate(wrapped)
    return wrapped


def _sqlite_name(exc: sa_exc.DBAPIError) -> str:
    return getattr(exc.orig, "sqlite_errorname", None) or ""


def _sqlstate(exc: sa_exc.DBAPIError) -> str:
    return getattr(exc.orig, "sqlstate", None) or ""


def _is_unavailable(exc: sa_exc.DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    if hasattr(exc.orig, "sqlite_errorname"):
        return _sqlite_name(exc).startswith(_SQLITE_UNAVAILABLE)
    # A PostgreSQL error without SQLSTATE means the driver failed before the server answered
    # (refused, unreachable, dropped), which is exactly "unavailable".
    sqlstate = _sqlstate(exc)
    return not sqlstate or sqlstate.startswith(_PG_UNAVAILABLE_PREFIXES)


def _is_unique_violation(exc: sa_exc.DBAPIError) -> bool:
    return _sqlite_name(exc) in _SQLITE_UNIQUE or _sqlstate(exc) == _PG_UNIQUE


def _is_foreign_key_violation(exc: sa_exc.DBAPIError) -> bool:
    return _sqlite_name(exc) in _SQLITE_FOREIGN_KEY or _sqlstate(exc) == _PG_FOREIGN_KEY
