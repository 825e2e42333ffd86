"""Adapter fixtures shared by every contract suite.

``backend`` is parametrised over every storage adapter: ``memory``, ``sqlite`` and, when
``BAGBOARD_TEST_POSTGRES_URL`` is set, ``postgresql``. Store fixtures build their adapter with
``backend.pick(MemoryX, SqlX)``, so all stores of one test share one database. Suites use the
store fixtures only and never look at the backend kind.

The migrated databases behind it (``sqlite_engine``, ``postgresql_engine``) come from
``tests/storage_fixtures.py``, shared with the adapter-only tests in ``tests/integration``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from sqlalchemy import Engine

from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.series_ids import MemorySeriesIds
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage import (
    SqlLibraryStore,
    SqlSeriesIds,
    SqlSettingsStore,
    SqlTokenStore,
    SqlUserStore,
)
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.series_ids import SeriesIds
from bagboard.ports.settings_store import SettingsStore
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore
from tests.storage_fixtures import POSTGRES_URL, POSTGRES_URL_ENV, SQL_BACKENDS

__all__ = ["BACKENDS", "POSTGRES_URL", "POSTGRES_URL_ENV", "SQL_BACKENDS", "Backend"]

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


@pytest.fixture
def series_ids(backend: Backend) -> SeriesIds:
    return backend.pick(MemorySeriesIds, SqlSeriesIds)
