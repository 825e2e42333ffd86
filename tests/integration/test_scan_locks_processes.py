"""Scan locks between real processes: a holder killed outright frees its locks for the
others within seconds, and a PostgreSQL holder whose connection is cut knows it lost them."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bagboard.adapters.storage.locks import lock_folder
from bagboard.ports.scan_locks import SCANNER_LEAD, ScanLock, ScanLocks
from tests.scan_lock_support import HOLDER, HeldElsewhere, locks_for
from tests.storage_fixtures import POSTGRES_URL

SERVE = "bagboard serve (pid 1 on host nas)"


def _within(seconds: float, condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def mine(sql_engine: Engine) -> Iterator[ScanLocks]:
    locks = locks_for(_url(sql_engine), SERVE)
    yield locks
    locks.close()


@pytest.mark.parametrize("lock", ["lead", "3"])
def test_a_killed_holder_frees_its_lock_within_seconds(
    sql_engine: Engine, mine: ScanLocks, lock: str
) -> None:
    wanted = SCANNER_LEAD if lock == "lead" else ScanLock.lease(3)
    other = HeldElsewhere(_url(sql_engine), lock)
    try:
        assert not mine.try_hold(wanted)
        assert mine.holder(wanted) == HOLDER
        other.kill()
        assert _within(10, lambda: mine.try_hold(wanted))
        assert mine.still_held(wanted)
        assert mine.holder(wanted) == SERVE
    finally:
        other.close()


def test_a_lock_let_go_by_another_process_is_taken(sql_engine: Engine, mine: ScanLocks) -> None:
    other = HeldElsewhere(_url(sql_engine), "5")
    try:
        assert not mine.try_hold(ScanLock.lease(5))
        assert mine.try_hold(ScanLock.lease(6))
        other.release()
        assert mine.try_hold(ScanLock.lease(5))
    finally:
        other.close()


@pytest.fixture
def own_locks() -> Iterator[Callable[[Engine], ScanLocks]]:
    made: list[ScanLocks] = []

    def make(engine: Engine) -> ScanLocks:
        made.append(locks_for(_url(engine), SERVE))
        return made[-1]

    yield make
    for locks in made:
        locks.close()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BAGBOARD_TEST_POSTGRES_URL")
def test_a_lead_lost_with_its_connection_is_known_lost(
    postgresql_engine: Engine, own_locks: Callable[[Engine], ScanLocks]
) -> None:
    mine = own_locks(postgresql_engine)
    assert mine.try_hold(SCANNER_LEAD) and mine.try_hold(ScanLock.lease(2))
    with postgresql_engine.connect() as conn:
        cut = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": SERVE},
        ).scalar_one()
    assert cut == 1  # the lock connection, found by its holder's name
    assert _within(10, lambda: not mine.still_held(SCANNER_LEAD))
    assert not mine.still_held(ScanLock.lease(2))
    other = locks_for(_url(postgresql_engine), "bagboard serve (pid 9 on host b)")
    try:
        assert other.try_hold(SCANNER_LEAD)
        assert not mine.try_hold(SCANNER_LEAD)  # asked again on a new connection
        assert mine.holder(SCANNER_LEAD) == "bagboard serve (pid 9 on host b)"
        other.release(SCANNER_LEAD)
        assert mine.try_hold(SCANNER_LEAD) and mine.still_held(SCANNER_LEAD)
    finally:
        other.close()


def test_a_lock_file_removed_from_under_its_holder_is_known_lost(
    sqlite_engine: Engine, own_locks: Callable[[Engine], ScanLocks]
) -> None:
    mine = own_locks(sqlite_engine)
    database = sqlite_engine.url.database
    assert database is not None
    folder = lock_folder(database)
    assert folder == Path(database).with_name("bagboard.db.locks")
    assert mine.try_hold(SCANNER_LEAD)
    assert (folder / "lead").read_text() == SERVE
    shutil.rmtree(folder)
    # Another process would now lock a new file: the old lock no longer counts.
    assert not mine.still_held(SCANNER_LEAD)
    mine.release(SCANNER_LEAD)
    assert mine.try_hold(SCANNER_LEAD)
