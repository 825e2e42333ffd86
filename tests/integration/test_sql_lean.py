"""The lean read path returns what SQLAlchemy Core returns, and fails the way the adapter does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, bindparam, create_engine, func, insert, literal_column, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from bagboard.adapters.storage import make_engine, shared_reads
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import libraries
from bagboard.domain.errors import StorageUnavailable
from tests.storage_fixtures import POSTGRES_URL

_libs = libraries.c
BY_IDS = Prepared(
    select(_libs.id, _libs.name, _libs.enabled, _libs.created_at)
    .where(_libs.id.in_(bindparam("ids", expanding=True)), _libs.enabled == True)  # noqa: E712
    .order_by(_libs.id)
)
BACKEND_PID = Prepared(select(func.pg_backend_pid()))
SINCE = Prepared(select(func.count()).where(_libs.created_at >= bindparam("since")))


def _lent(engine: Engine) -> int:
    """How many of the engine's pooled connections are lent out."""
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


def _fill(engine: Engine) -> list[int]:
    rows = [
        {
            "name": f"Comics {n}",
            "root": f"/srv/c{n}",
            "enabled": n != 2,
            "created_at": datetime(2026, 1, n, 12, tzinfo=UTC),
        }
        for n in range(1, 6)
    ]
    with engine.begin() as conn:
        conn.execute(insert(libraries), rows)
        return list(conn.execute(select(_libs.id).order_by(_libs.id)).scalars())


def test_rows_are_those_core_returns_with_the_same_types(sql_engine: Engine) -> None:
    ids = _fill(sql_engine)
    core = (
        select(_libs.id, _libs.name, _libs.enabled, _libs.created_at)
        .where(_libs.id.in_(ids[:4]), _libs.enabled == True)  # noqa: E712
        .order_by(_libs.id)
    )
    with sql_engine.connect() as conn:
        expected = [tuple(row) for row in conn.execute(core)]
    with lean(sql_engine) as conn:
        found = conn.all(BY_IDS, ids=ids[:4])
    assert found == expected
    assert [row[0] for row in found] == [ids[0], ids[2], ids[3]]  # the constant `enabled` bound
    assert all(row[2] is True for row in found)  # SQLite's 1 read back as a bool
    assert found[0][3] == datetime(2026, 1, 1, 12, tzinfo=UTC)  # an aware UTC timestamp


def test_list_parameters_of_any_length_and_converted_bind_values(sql_engine: Engine) -> None:
    ids = _fill(sql_engine)
    with lean(sql_engine) as conn:
        assert [row[0] for row in conn.all(BY_IDS, ids=[ids[4]])] == [ids[4]]
        assert len(conn.all(BY_IDS, ids=ids)) == 4
        assert len(conn.all(BY_IDS, ids=ids[:2])) == 1
        assert conn.scalar(SINCE, since=datetime(2026, 1, 3, tzinfo=UTC)) == 3
        assert conn.first(BY_IDS, ids=[999_999]) is None


def test_list_lengths_share_a_compiled_form_per_power_of_two(sql_engine: Engine) -> None:
    ids = _fill(sql_engine)
    by_ids = Prepared(
        select(_libs.id)
        .where(
            _libs.id.in_(bindparam("ids", expanding=True)),
            _libs.created_at >= bindparam("since"),
            _libs.id.in_(bindparam("also", expanding=True)),
        )
        .order_by(_libs.id)
    )
    since = datetime(2026, 1, 2, tzinfo=UTC)
    with lean(sql_engine) as conn:
        for n in range(1, 6):
            # Two lists and a converted value between them: each bound where it belongs.
            found = conn.all(by_ids, ids=ids[:n], since=since, also=ids[::-1])
            assert [row[0] for row in found] == ids[1:n]
    assert len(by_ids._plans) == 4  # lengths 1, 2, 3-4, 5 (padded to 8)


def test_a_literal_percent_and_a_parameter_used_twice(sql_engine: Engine) -> None:
    # On PostgreSQL the statement runs with ``$n`` placeholders: ``%`` stays a literal and a
    # name used twice is one parameter.
    ids = _fill(sql_engine)
    named = Prepared(
        select(func.count()).where(
            _libs.name.like(literal_column("'Comics %'")),
            _libs.id >= bindparam("low"),
            _libs.id <= bindparam("low") + 1,
        )
    )
    with lean(sql_engine) as conn:
        assert conn.scalar(named, low=ids[1]) == 2
        assert conn.scalar(named, low=ids[4]) == 1


def test_an_empty_list_parameter_is_refused(sql_engine: Engine) -> None:
    fresh = Prepared(select(_libs.id).where(_libs.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError), lean(sql_engine) as conn:
        conn.all(fresh, ids=[])


def test_a_database_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    engine = make_engine(f"sqlite:///{blocker / 'bagboard.db'}")
    try:
        with pytest.raises(StorageUnavailable), lean(engine) as conn:
            conn.all(BY_IDS, ids=[1])
    finally:
        engine.dispose()


def test_a_wrong_statement_is_a_bug_not_an_outage(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'never-migrated.db'}")
    try:
        with pytest.raises(OperationalError), lean(engine) as conn:
            conn.all(BY_IDS, ids=[1])
    finally:
        engine.dispose()


def test_sqlite_reads_keep_a_connection_each_within_a_request(sqlite_engine: Engine) -> None:
    # Only PostgreSQL's reads share one (``db/loans.py``): a SQLite loan costs no round trip.
    with shared_reads(), lean(sqlite_engine) as conn:
        assert conn.scalar(Prepared(select(func.count()))) == 1
        with lean(sqlite_engine):
            assert _lent(sqlite_engine) == 2


def test_an_unreachable_postgresql_server_is_unavailable() -> None:
    engine = make_engine("postgresql+psycopg://bagboard@127.0.0.1:1/bagboard")
    try:
        with pytest.raises(StorageUnavailable), lean(engine) as conn:
            conn.all(BY_IDS, ids=[1])
    finally:
        engine.dispose()


if POSTGRES_URL:

    def test_a_connection_the_server_dropped_is_unavailable_then_replaced(
        postgresql_engine: Engine,
    ) -> None:
        ids = _fill(postgresql_engine)
        outside = create_engine(postgresql_engine.url, poolclass=NullPool)
        try:
            with pytest.raises(StorageUnavailable), lean(postgresql_engine) as conn:
                pid = conn.scalar(BACKEND_PID)
                # The server ends the connection mid-request, as a restart would.
                with outside.connect() as other:
                    ended = other.execute(select(func.pg_terminate_backend(pid))).scalar()
                assert ended is True
                conn.all(BY_IDS, ids=ids)
        finally:
            outside.dispose()
        with lean(postgresql_engine) as conn:
            assert conn.scalar(BACKEND_PID) != pid
            assert len(conn.all(BY_IDS, ids=ids)) == 4
