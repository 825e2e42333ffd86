"""Fixtures for the whole test tree: the migrated databases of ``tests/storage_fixtures.py``.

Registered here, above ``tests/contract`` and ``tests/integration``, so that both share one
SQLite template and one PostgreSQL database per session.
"""

from __future__ import annotations

from tests.storage_fixtures import (
    impatient_engine,
    postgresql_engine,
    postgresql_session_engine,
    sql_engine,
    sqlite_engine,
    sqlite_file,
    sqlite_template,
)

__all__ = [
    "impatient_engine",
    "postgresql_engine",
    "postgresql_session_engine",
    "sql_engine",
    "sqlite_engine",
    "sqlite_file",
    "sqlite_template",
]
