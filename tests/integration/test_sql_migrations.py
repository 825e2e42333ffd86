"""The shipped migrations, on every SQL backend: idempotent, reversible, matching tables.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, inspect, select

from bagboard.adapters.storage import (
    SqlLibraryStore,
    SqlTokenStore,
    SqlUserStore,
    make_engine,
    upgrade,
)
from bagboard.adapters.storage.db.facet_tables import SERIES_SEARCH
from bagboard.adapters.storage.db.migrate import HEAD, alembic_config
from bagboard.adapters.storage.db.tables import change_counters, metadata, reading_progress
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.model import Role
from bagboard.domain.progress import ComicKey, Device, ProgressChange, StaleProgress


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_diff(engine: Engine, target: MetaData) -> list[Any]:
    with engine.connect() as conn:
        # The search index lives beside the tables, outside tables.py (see facet_tables).
        opts = {
            "compare_type": True,
            "include_name": lambda name, kind, parent: not (name or "").startswith(SERIES_SEARCH),
        }
        context = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(context, target))


def test_head_is_the_newest_shipped_migration() -> None:
    # upgrade() leaves a database at HEAD alone without asking Alembic.
    assert head() == HEAD


def test_the_migrated_schema_matches_tables_py(sql_engine: Engine) -> None:
    assert current(sql_engine) == head()
    assert schema_diff(sql_engine, metadata) == []


def test_the_schema_check_notices_drift(sql_engine: Engine) -> None:
    drifted = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["users"].append_column(Column("nickname", Integer))
    assert [diff[0] for diff in schema_diff(sql_engine, drifted)] == ["add_column"]


def test_upgrade_is_idempotent(sql_engine: Engine) -> None:
    libraries = SqlLibraryStore(sql_engine)
    comics = libraries.add("Comics", "/srv/comics")
    upgrade(sql_engine)
    upgrade(sql_engine)
    assert current(sql_engine) == head()
    assert libraries.list() == [comics]


def test_downgrade_to_base_and_back(sql_engine: Engine) -> None:
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(sql_engine).get_table_names()) <= {"alembic_version"}
    upgrade(sql_engine)
    assert schema_diff(sql_engine, metadata) == []


def test_upgrade_accepts_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        assert current(engine) == head()
        assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    finally:
        engine.dispose()


def test_positions_written_before_devices_were_kept_name_none(sql_engine: Engine) -> None:
    store = SqlProgressStore(sql_engine)
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    key = ComicKey("/srv/comics/a.cbz")
    at = datetime(2026, 4, 1, tzinfo=UTC)
    store.save(user.id, key, ProgressChange(7, 20, device=Device("tablet", "Tablet")), at)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0010")
    columns = {column["name"] for column in inspect(sql_engine).get_columns("reading_progress")}
    assert not columns & {"device_id", "device_name"}
    with sql_engine.connect() as conn:
        pages = conn.execute(select(reading_progress.c.page_number)).scalars().all()
    assert pages == [7]  # the rows stay
    upgrade(sql_engine)
    kept = store.position(user.id, key)
    assert kept is not None and (kept.page_number, kept.total_pages, kept.device) == (7, 20, None)
    saved = store.save(user.id, key, ProgressChange(8, device=Device("phone", "")), at)
    assert store.position(user.id, key) == saved and saved.device == Device("phone", "")


def test_positions_stored_far_in_the_future_are_brought_back_to_now(sql_engine: Engine) -> None:
    """0012: a device clock in the year 2100 left times that refused every correct write."""
    store = SqlProgressStore(sql_engine)
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    frozen, fine = ComicKey("/srv/comics/a.cbz"), ComicKey("/srv/comics/b.cbz")
    at = datetime(2026, 4, 1, tzinfo=UTC)
    store.save(user.id, frozen, ProgressChange(7, client_time=1_700_000_000), at)
    store.save(user.id, fine, ProgressChange(3, client_time=1_700_000_000), at)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011")
        year_2100 = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp())
        conn.execute(
            reading_progress.update()
            .where(reading_progress.c.comic_path == frozen.path)
            .values(client_updated_at=year_2100)
        )
    before = int(datetime.now(UTC).timestamp())
    upgrade(sql_engine)
    after = int(datetime.now(UTC).timestamp())
    repaired = store.position(user.id, frozen)
    assert repaired is not None and before <= (repaired.client_updated_at or 0) <= after
    kept = store.position(user.id, fine)
    assert kept is not None and kept.client_updated_at == 1_700_000_000
    # A correct device's write now applies instead of answering 409 forever.
    now = datetime.now(UTC)
    saved = store.save(user.id, frozen, ProgressChange(8, client_time=after + 1), now)
    assert saved.page_number == 8


def test_positions_written_before_server_stamps_were_kept_compare_exactly(
    sql_engine: Engine,
) -> None:
    """0017: whether a stored time is the server's is known only for rows written since."""
    store = SqlProgressStore(sql_engine)
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    key = ComicKey("/srv/comics/a.cbz")
    at = datetime(2026, 4, 1, tzinfo=UTC)
    stamp = int(at.timestamp())
    store.save(user.id, key, ProgressChange(7), at)
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0016")
    columns = {column["name"] for column in inspect(sql_engine).get_columns("reading_progress")}
    assert "server_stamped" not in columns
    upgrade(sql_engine)
    kept = store.position(user.id, key)
    assert kept is not None and (kept.page_number, kept.server_stamped) == (7, False)
    with pytest.raises(StaleProgress):
        store.save(user.id, key, ProgressChange(8, client_time=stamp - 30), at)
    untimed = store.save(user.id, key, ProgressChange(9), at)
    assert untimed.server_stamped and store.position(user.id, key) == untimed
    lagging = store.save(user.id, key, ProgressChange(10, client_time=stamp - 30), at)
    assert lagging.page_number == 10


def test_change_counters_come_and_go_with_their_triggers(sql_engine: Engine) -> None:
    """0020: every write of a watched table raises its kind's counter; a per-request touch
    does not; after a downgrade the same writes still work, with no counter to raise."""

    def counters() -> dict[str, int]:
        with sql_engine.connect() as conn:
            rows = conn.execute(select(change_counters.c.kind, change_counters.c.value))
            return {kind: int(value) for kind, value in rows}

    # One row per kind (a table emptied by the tests' fixtures gets its rows back on writes).
    # (0021's ``reading`` kind is counted on SQLite only.)
    kinds = ("access", "libraries", "settings", "index")
    kinds += ("reading",) if sql_engine.dialect.name == "sqlite" else ()
    start = dict.fromkeys(kinds, 0) | counters()
    assert len(start) == len(kinds)
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    tokens = SqlTokenStore(sql_engine)
    token = tokens.add(user.id, "tablet", "a" * 64, datetime(2026, 4, 1, tzinfo=UTC))
    raised = start | counters()
    assert raised["access"] >= start["access"] + 2
    assert {k: v for k, v in raised.items() if k != "access"} == {
        k: v for k, v in start.items() if k != "access"
    }
    tokens.touch(token.id, datetime(2026, 4, 2, tzinfo=UTC))
    assert start | counters() == raised
    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0019")
    assert "change_counters" not in inspect(sql_engine).get_table_names()
    tokens.revoke(token.id, datetime(2026, 4, 3, tzinfo=UTC))
    SqlLibraryStore(sql_engine).add("Comics", "/srv/comics")
    upgrade(sql_engine)
    before = counters()
    SqlUserStore(sql_engine).add("bob", Role.READER)
    assert counters()["access"] > before["access"]


def test_reading_changes_come_and_go_with_their_triggers(sql_engine: Engine) -> None:
    """0021: positions and marks move the ``reading`` kind (a counter on SQLite); after a
    downgrade they are written as before, with nothing to raise."""
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
    store = SqlProgressStore(sql_engine)
    at = datetime(2026, 4, 1, tzinfo=UTC)

    def reading() -> int | None:
        with sql_engine.connect() as conn:
            kind = change_counters.c.kind
            found = conn.execute(select(change_counters.c.value).where(kind == "reading"))
            value = found.scalar()
        return None if value is None else int(value)

    with sql_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0020")
    assert reading() is None
    store.save(alice, ComicKey("/srv/comics/a.cbz"), ProgressChange(3), at)
    store.set_read(alice, ComicKey("/srv/comics/a.cbz"), True, at)
    assert reading() is None
    upgrade(sql_engine)
    store.save(alice, ComicKey("/srv/comics/a.cbz"), ProgressChange(4), at)
    if sql_engine.dialect.name == "sqlite":
        assert reading() == 1
    else:
        assert reading() is None  # told by notification alone
    assert store.position(alice, ComicKey("/srv/comics/a.cbz")) is not None
