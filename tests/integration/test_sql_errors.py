"""Driver errors leave the SQL adapter as domain errors, never as SQLAlchemy exceptions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bagboard.adapters.storage import (
    SqlLibraryStore,
    SqlSettingsStore,
    SqlTokenStore,
    SqlUserStore,
    make_engine,
    upgrade,
)
from bagboard.domain.errors import LibraryNotFound, StorageUnavailable, UserNotFound
from bagboard.domain.model import BrowseMode, Role, ServerSettings
from bagboard.domain.tokens import hash_secret

WRITES: dict[str, Callable[[Engine], object]] = {
    "add library": lambda e: SqlLibraryStore(e).add("Comics", "/srv/comics"),
    "add user": lambda e: SqlUserStore(e).add("alice", Role.READER, []),
    "save settings": lambda e: SqlSettingsStore(e).save(ServerSettings(BrowseMode.FILESYSTEM)),
}


@pytest.fixture
def write_lock(sqlite_file: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection, holding the database's write lock."""
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield holder
    holder.close()


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_locked_sqlite_database_is_unavailable(
    impatient_engine: Engine, write_lock: sqlite3.Connection, write: Callable[[Engine], object]
) -> None:
    with pytest.raises(StorageUnavailable) as caught:
        write(impatient_engine)
    assert isinstance(caught.value.__cause__, OperationalError)
    write_lock.rollback()
    write(impatient_engine)  # the same engine recovers once the lock is gone


def test_upgrading_a_locked_fresh_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=20)
    try:
        with pytest.raises(StorageUnavailable):
            upgrade(engine)
    finally:
        holder.close()
        engine.dispose()


def test_an_unreachable_postgresql_server_is_unavailable() -> None:
    # Port 1 on the loopback refuses at once: no server is needed for this test.
    url = "postgresql+psycopg://bagboard@127.0.0.1:1/bagboard"
    engine = make_engine(url)
    try:
        with pytest.raises(StorageUnavailable):
            SqlLibraryStore(engine).list()
        with pytest.raises(StorageUnavailable):
            upgrade(url)
    finally:
        engine.dispose()


def test_a_missing_table_is_a_bug_not_an_outage(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'never-migrated.db'}")
    try:
        with pytest.raises(OperationalError):
            SqlLibraryStore(engine).list()
    finally:
        engine.dispose()


def test_a_user_cannot_be_limited_to_an_unknown_library(sql_engine: Engine) -> None:
    users = SqlUserStore(sql_engine)
    with pytest.raises(LibraryNotFound):
        users.add("alice", Role.READER, [999_999])
    assert users.list() == []


def test_a_token_cannot_belong_to_an_unknown_user(sql_engine: Engine) -> None:
    tokens = SqlTokenStore(sql_engine)
    with pytest.raises(UserNotFound):
        tokens.add(999_999, "phone", hash_secret("s"), datetime(2026, 1, 1, tzinfo=UTC))
    assert tokens.exists_any() is False
