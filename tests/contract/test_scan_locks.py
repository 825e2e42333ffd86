"""The ScanLocks contract, run against every adapter: two lock objects on one database act
as two processes (memory: two objects on one lock table)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bagboard.adapters.memory.scan_locks import LockTable, MemoryScanLocks
from bagboard.ports.scan_locks import SCANNER_LEAD, ScanLock, ScanLocks
from tests.contract.conftest import Backend
from tests.scan_lock_support import locks_for

MakeLocks = Callable[[str], ScanLocks]

SERVE = "bagboard serve (pid 1 on host nas)"
SCAN = "bagboard scan (pid 2 on host nas)"


@pytest.fixture
def make_locks(backend: Backend) -> Iterator[MakeLocks]:
    made: list[ScanLocks] = []
    table = LockTable()

    def make(holder: str) -> ScanLocks:
        if backend.engine is None:
            locks: ScanLocks = MemoryScanLocks(holder, table)
        else:
            locks = locks_for(backend.engine.url.render_as_string(hide_password=False), holder)
        made.append(locks)
        return locks

    yield make
    for locks in made:
        locks.close()


def test_only_one_holder_leads(make_locks: MakeLocks) -> None:
    first, second = make_locks(SERVE), make_locks(SCAN)
    assert first.try_hold(SCANNER_LEAD)
    assert not second.try_hold(SCANNER_LEAD)
    assert first.still_held(SCANNER_LEAD) and not second.still_held(SCANNER_LEAD)
    assert not first.try_hold(SCANNER_LEAD)  # never re-entered
    first.release(SCANNER_LEAD)
    assert not first.still_held(SCANNER_LEAD)
    assert second.try_hold(SCANNER_LEAD)
    assert not first.try_hold(SCANNER_LEAD)


def test_the_holder_is_named_to_the_others(make_locks: MakeLocks) -> None:
    first, second = make_locks(SERVE), make_locks(SCAN)
    assert second.holder(SCANNER_LEAD) is None
    assert first.try_hold(SCANNER_LEAD)
    assert second.holder(SCANNER_LEAD) == SERVE
    assert first.holder(SCANNER_LEAD) == SERVE
    assert second.try_hold(ScanLock.lease(7))
    assert first.holder(ScanLock.lease(7)) == SCAN
    first.release(SCANNER_LEAD)
    second.release(ScanLock.lease(7))
    assert second.holder(SCANNER_LEAD) is None
    assert first.holder(ScanLock.lease(7)) is None


def test_each_library_has_its_own_lease_apart_from_the_lead(make_locks: MakeLocks) -> None:
    first, second = make_locks(SERVE), make_locks(SCAN)
    assert first.try_hold(SCANNER_LEAD)
    assert first.try_hold(ScanLock.lease(1))
    assert second.try_hold(ScanLock.lease(2))
    assert not second.try_hold(ScanLock.lease(1))
    assert not first.try_hold(ScanLock.lease(2))
    first.release(ScanLock.lease(1))
    assert first.still_held(SCANNER_LEAD)  # letting a lease go keeps the lead
    assert second.try_hold(ScanLock.lease(1))


def test_closing_lets_every_lock_go(make_locks: MakeLocks) -> None:
    first, second = make_locks(SERVE), make_locks(SCAN)
    assert first.try_hold(SCANNER_LEAD) and first.try_hold(ScanLock.lease(3))
    first.close()
    assert not first.still_held(SCANNER_LEAD)
    assert second.try_hold(SCANNER_LEAD) and second.try_hold(ScanLock.lease(3))


def test_releasing_what_is_not_held_changes_nothing(make_locks: MakeLocks) -> None:
    first, second = make_locks(SERVE), make_locks(SCAN)
    assert first.try_hold(SCANNER_LEAD)
    second.release(SCANNER_LEAD)
    second.release(ScanLock.lease(4))
    assert first.still_held(SCANNER_LEAD)
    assert not second.try_hold(SCANNER_LEAD)
