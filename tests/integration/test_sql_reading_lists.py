"""What the SQL reading lists owe to the schema: one list per owner and name key even for shared
lists (whose NULL owner a plain unique index would not compare) and under concurrent imports,
and a migration that comes and goes cleanly."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, exc, insert, inspect

from bagboard.adapters.storage import SqlReadingLists, SqlUserStore, upgrade
from bagboard.adapters.storage.db.migrate import alembic_config
from bagboard.adapters.storage.db.tables import reading_lists
from bagboard.domain.model import Role
from bagboard.domain.pagination import PageRequest
from bagboard.domain.readlists import ListBook

T0 = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def test_two_shared_lists_cannot_share_a_name_key(sql_engine: Engine) -> None:
    row = {"name": "Secret Wars", "name_key": "secret wars", "summary": ""}
    with sql_engine.begin() as conn:
        conn.execute(
            insert(reading_lists).values(owner_id=None, created_at=T0, updated_at=T0, **row)
        )
    with pytest.raises(exc.IntegrityError), sql_engine.begin() as conn:
        conn.execute(
            insert(reading_lists).values(owner_id=None, created_at=T0, updated_at=T0, **row)
        )


def test_concurrent_imports_of_one_new_list_make_one_list(sql_engine: Engine) -> None:
    owner = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    store = SqlReadingLists(sql_engine)
    start = threading.Barrier(4)
    saved: list[int] = []
    failures: list[BaseException] = []

    def save(owner_id: int | None, number: int) -> None:
        books = [(ListBook("Civil War", str(n)), None) for n in range(1, number + 1)]
        start.wait()
        try:
            saved.append(store.save(owner_id, "Civil War", "", books, T0).id)
        except BaseException as error:  # reported below, with the thread's own traceback
            failures.append(error)

    threads = [
        threading.Thread(target=save, args=(owner_id, number))
        for owner_id in (owner.id, None)
        for number in (3, 5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(saved) == 4 and len(set(saved)) == 2
    for found in store.lists(owner.id):
        # Whichever import came last, its entries alone: never a mix of the two.
        entries = store.entries(found.id, PageRequest(1, 50))
        assert entries.total == found.entries and found.entries in (3, 5)
        assert [e.position for e in entries.items] == list(range(1, found.entries + 1))


def test_the_migration_drops_and_restores_the_tables(sql_engine: Engine) -> None:
    owner = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    SqlReadingLists(sql_engine).save(owner.id, "Before", "", [(ListBook("A", "1"), None)], T0)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0017")
    tables = set(inspect(sql_engine).get_table_names())
    assert not tables & {"reading_lists", "reading_list_entries"}
    upgrade(sql_engine)
    store = SqlReadingLists(sql_engine)
    assert store.lists(None) == []
    saved = store.save(owner.id, "After", "", [(ListBook("A", "1"), None)], T0)
    assert [r.id for r in store.lists(owner.id)] == [saved.id]
