"""Adapter fixtures shared by every contract suite.

``backend`` is parametrised over every storage adapter: ``memory``, ``sqlite`` and, when
``BAGBOARD_TEST_POSTGRES_URL`` is set, ``postgresql``. Store fixtures build their adapter with
``backend.pick(MemoryX, SqlX)``, so all stores of one test share one database. Suites use the
store fixtures only and never look at the backend kind.

``sql_engine`` is parametrised over the SQL backends alone, for tests of the storage adapter
itself (migrations, error translation). Both yield a migrated database with empty tables.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage import (
    SqlLibraryStore,
    SqlSettingsStore,
    SqlTokenStore,
    SqlUserStore,
    make_engine,
    upgrade,
)
from bagboard.adapters.storage.db.tables import metadata
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.settings_store import SettingsStore
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore

POSTGRES_URL_ENV = "BAGBOARD_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_URL_ENV, "")

# Without a server the postgresql variant is not generated at all, rather than skipped.
SQL_BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
BACKENDS = ["memory", *SQL_BACKENDS]

T = TypeVar("T")


@dataclass(frozen=True)
class Backend:
    kind: str
    engine: Engine | None

    def pick(self, memory: Callable[[], T], sql: Callable[[Engine], T]) -> T:
        return memory() if self.engine is None else sql(self.engine)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    kind: str = request.param
    if kind == "memory":
        return Backend(kind, None)
    return Backend(kind, request.getfixturevalue(f"{kind}_engine"))


@pytest.fixture(params=SQL_BACKENDS)
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@pytest.fixture
def user_store(backend: Backend) -> UserStore:
    return backend.pick(MemoryUserStore, SqlUserStore)


@pytest.fixture
def token_store(backend: Backend) -> TokenStore:
    return backend.pick(MemoryTokenStore, SqlTokenStore)


@pytest.fixture
def library_store(backend: Backend) -> LibraryStore:
    return backend.pick(MemoryLibraryStore, SqlLibraryStore)


@pytest.fixture
def settings_store(backend: Backend) -> SettingsStore:
    return backend.pick(MemorySettingsStore, SqlSettingsStore)


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
