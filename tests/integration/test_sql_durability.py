"""Which commits wait for the disk (``adapters/storage/db/durability.py``): users' writes do,
on SQLite (``synchronous=FULL``) and PostgreSQL (``synchronous_commit=on``); the index's do
not on SQLite; and no SQLite connection goes back to the pool relaxed.

The system test ``tests/system/test_durable_writes.py`` shows the sync itself, with strace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bagboard.adapters.storage import (
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlSettingsStore,
    SqlShelves,
    SqlTokenStore,
    SqlUserStore,
)
from bagboard.adapters.storage.db import durability
from bagboard.adapters.storage.db.durability import rebuildable
from bagboard.adapters.storage.index.pages import SqlPageCatalog
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.images import FileStamp, PageInfo
from bagboard.domain.model import BrowseMode, Role, ServerSettings
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.shelves import Shelf, ShelfItem, ShelfKind
from tests.integration.test_sql_index import ADDED, AT, ROOT, comic, tree
from tests.storage_fixtures import POSTGRES_URL

FULL, NORMAL = 2, 1  # what ``PRAGMA synchronous`` reads back


def _sqlite_level(driver: Any) -> Any:
    return driver.execute("PRAGMA synchronous").fetchone()[0]


def _pg_level(driver: Any) -> Any:
    return driver.execute("SHOW synchronous_commit").fetchone()[0]


@pytest.fixture
def commits(sql_engine: Engine) -> Iterator[list[Any]]:
    """The durability setting in force at each commit that writes on ``sql_engine``, read on
    the committing connection just before it commits."""
    sqlite = sql_engine.dialect.name == "sqlite"
    seen: list[Any] = []

    def record(conn: Any) -> None:
        driver = conn.connection.driver_connection
        if not sqlite:
            seen.append(_pg_level(driver))
        elif driver.in_transaction:  # not the empty commits that follow a pragma
            seen.append(_sqlite_level(driver))

    event.listen(sql_engine, "commit", record)
    yield seen
    event.remove(sql_engine, "commit", record)


def _pooled(engine: Engine, read: Callable[[Any], Any]) -> list[Any]:
    """``read`` on every connection the pool holds (all checked out at once)."""
    with ExitStack() as stack:
        held = [stack.enter_context(engine.connect()) for _ in range(engine.pool.checkedin())]  # type: ignore[attr-defined]
        return [read(conn.connection.driver_connection) for conn in held]


def _users_write(engine: Engine, library_id: int) -> None:
    user = SqlUserStore(engine).add("alice", Role.READER)
    SqlTokenStore(engine).add(user.id, "phone", "0" * 64, AT)
    item = ShelfItem(ShelfKind.FOLDER, f"{ROOT}/Marvel", library_id)
    SqlShelves(engine).add(user.id, Shelf.TO_READ, item, AT)
    key = ComicKey(f"{ROOT}/Marvel/X/x 1.cbz")
    SqlProgressStore(engine).save(user.id, key, ProgressChange(page_number=3), AT)
    SqlSettingsStore(engine).save(ServerSettings(BrowseMode.FILESYSTEM))


def _index_write(engine: Engine, library_id: int) -> None:
    index = SqlLibraryIndex(engine)
    entry = comic(f"{ROOT}/Marvel/X/x 1.cbz")
    index.apply(library_id, IndexChanges(folders=tree(entry.path), added=[(entry, ADDED)]), AT)
    index.finish_scan(library_id, AT + timedelta(minutes=1))
    comic_id = next(iter(index.snapshot(library_id).comics.values())).id
    page = PageInfo(1, "p1.jpg", 10, 10, 100, "image/jpeg")
    SqlPageCatalog(engine).save(comic_id, FileStamp(100, 1), [page])


def test_users_writes_commit_durably_and_index_writes_relaxed(
    sql_engine: Engine, commits: list[Any]
) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    commits.clear()
    _index_write(sql_engine, library_id)
    index_commits = list(commits)
    commits.clear()
    _users_write(sql_engine, library_id)
    assert len(index_commits) == 3 and len(commits) >= 5
    if sql_engine.dialect.name == "sqlite":
        assert index_commits == [NORMAL] * 3
        assert set(commits) == {FULL}
        assert set(_pooled(sql_engine, _sqlite_level)) == {FULL}
    else:
        assert set(index_commits) == set(commits) == {"on"}
        assert set(_pooled(sql_engine, _pg_level)) == {"on"}


def test_sqlite_connections_open_durable_in_wal_mode(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_failed_index_write_still_returns_its_connection_durable(
    sqlite_engine: Engine,
) -> None:
    with pytest.raises(RuntimeError), rebuildable(sqlite_engine) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == NORMAL
        raise RuntimeError("the batch failed")
    assert _pooled(sqlite_engine, _sqlite_level) == [FULL]


def _checkpoint_pages(driver: Any) -> Any:
    return driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_a_first_import_batch_checkpoints_seldom_and_returns_its_connection_as_it_was(
    sqlite_engine: Engine,
) -> None:
    with rebuildable(sqlite_engine, bulk=True) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == NORMAL
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == (
            durability.BULK_WAL_PAGES
        )
    with rebuildable(sqlite_engine) as conn:  # the same pooled connection, not bulk
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == durability.WAL_PAGES
    assert _pooled(sqlite_engine, _sqlite_level) == [FULL]
    assert _pooled(sqlite_engine, _checkpoint_pages) == [durability.WAL_PAGES]


def test_a_first_import_batch_through_the_index_is_bulk_and_a_facet_rebuild_is_not(
    sqlite_engine: Engine,
) -> None:
    library_id = SqlLibraryStore(sqlite_engine).add("Comics", ROOT).id
    seen: list[Any] = []

    def record(conn: Any) -> None:
        driver = conn.connection.driver_connection
        if driver.in_transaction:
            seen.append(_checkpoint_pages(driver))

    event.listen(sqlite_engine, "commit", record)
    index = SqlLibraryIndex(sqlite_engine)
    first, last = comic(f"{ROOT}/Marvel/X/x 1.cbz"), comic(f"{ROOT}/Marvel/X/x 2.cbz")
    batch = IndexChanges(folders=tree(first.path), added=[(first, ADDED)], defer_facets=True)
    index.apply(library_id, batch, AT)
    index.apply(library_id, IndexChanges(added=[(last, ADDED)], rebuild_facets=True), AT)
    event.remove(sqlite_engine, "commit", record)
    assert seen == [durability.BULK_WAL_PAGES, durability.WAL_PAGES]


def test_a_connection_not_made_durable_again_is_discarded(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    relax = durability._synchronous

    def relax_only(conn: Any, level: str, wal_pages: int | None = None) -> None:
        if level == durability.DURABLE:
            raise OSError("the pragma failed")
        relax(conn, level, wal_pages)

    monkeypatch.setattr(durability, "_synchronous", relax_only)
    with pytest.raises(OSError), rebuildable(sqlite_engine) as conn:
        relaxed = conn.connection.driver_connection
    monkeypatch.undo()
    with sqlite_engine.connect() as conn:
        assert conn.connection.driver_connection is not relaxed
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL


if POSTGRES_URL:

    def test_postgresql_connections_commit_synchronously(postgresql_engine: Engine) -> None:
        with postgresql_engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
