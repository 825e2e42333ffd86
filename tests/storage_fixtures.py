"""Migrated databases for the storage tests, shared by ``tests/contract`` and ``tests/integration``.

``sqlite_engine`` and ``postgresql_engine`` each yield a migrated database with empty tables;
``sql_engine`` is parametrised over the SQL backends (``sqlite`` and, when
``BAGBOARD_TEST_POSTGRES_URL`` is set, ``postgresql``). ``tests/conftest.py`` registers these
fixtures once for the whole test tree, so both folders share one migrated SQLite template and
one throw-away PostgreSQL database per session.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bagboard.adapters.storage import make_engine, upgrade
from bagboard.adapters.storage.db.tables import metadata

POSTGRES_URL_ENV = "BAGBOARD_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_URL_ENV, "")

# Without a server the postgresql variant is not generated at all, rather than skipped.
SQL_BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(params=SQL_BACKENDS)
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


# --- SQLite: migrate once, then give each test its own copy of the file -----------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "bagboard.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    # Closing the last connection checkpoints the WAL, leaving one self-contained file.
    engine.dispose()
    return path


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    path = tmp_path / "bagboard.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


# --- PostgreSQL: one throw-away database per session, tables emptied before each test -----


@pytest.fixture(scope="session")
def postgresql_session_engine() -> Iterator[Engine]:
    if not POSTGRES_URL:
        raise RuntimeError(f"{POSTGRES_URL_ENV} is not set")
    name = f"bagboard_test_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgresql_engine(postgresql_session_engine: Engine) -> Engine:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with postgresql_session_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return postgresql_session_engine


@pytest.fixture
def sqlite_file(tmp_path: Path, sqlite_template: Path) -> Path:
    """A migrated SQLite database file of the test's own, for tests that lock it."""
    path = tmp_path / "locked.db"
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.fixture
def impatient_engine(sqlite_file: Path) -> Iterator[Engine]:
    """An engine on ``sqlite_file`` that gives up on a locked database after 50 ms."""
    engine = make_engine(f"sqlite:///{sqlite_file}", busy_timeout_ms=50)
    yield engine
    engine.dispose()
