"""``NoWaitWrites``: SQLite transactions made at once or refused, never waiting for a lock,
a slow disk or a checkpoint; and the progress store's ``save_at_once`` over them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, exc, text

from bagboard.adapters.storage import SqlProgressStore, SqlUserStore
from bagboard.adapters.storage.db import nowait_writes
from bagboard.adapters.storage.db.nowait_writes import NoWaitWrites, WouldWait
from bagboard.domain.model import Role
from bagboard.domain.progress import ComicKey, ProgressChange, StaleProgress

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
DEVICE_TIME = int(NOW.timestamp())
PATH = "/srv/comics/Saga #1.cbz"


class Clock:
    """Seconds that move only when told; ``step`` is added by each reading."""

    def __init__(self) -> None:
        self.now = 100.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    alice = SqlUserStore(sqlite_engine).add("alice", Role.READER)
    assert alice.id == 1
    return sqlite_engine


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def writes(engine: Engine, clock: Clock) -> Iterator[NoWaitWrites]:
    made = NoWaitWrites(engine, clock=clock)
    yield made
    made.close()


def file_of(engine: Engine) -> str:
    database = engine.url.database
    assert database
    return database


def touch(writes: NoWaitWrites) -> None:
    with writes.begin() as conn:
        conn.execute(text("UPDATE users SET name = name WHERE name = 'alice'"))


def test_made_only_for_a_sqlite_file(engine: Engine, tmp_path: Path) -> None:
    made = NoWaitWrites.for_engine(engine)
    assert made is not None
    made.close()
    assert NoWaitWrites.for_engine(create_engine("sqlite://")) is None
    assert NoWaitWrites.for_engine(create_engine("postgresql+psycopg://u@127.0.0.1/x")) is None


def test_its_connection_never_waits_nor_checkpoints_and_stays_durable(
    writes: NoWaitWrites,
) -> None:
    with writes.begin() as conn:
        conn.execute(text("UPDATE users SET name = name"))
        settings = [
            conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("busy_timeout", "wal_autocheckpoint", "synchronous", "journal_mode")
        ]
    assert settings == [0, 0, 2, "wal"]  # synchronous 2: FULL


def test_a_lock_held_elsewhere_refuses_at_once_and_writes_nothing(
    engine: Engine, writes: NoWaitWrites
) -> None:
    holder = sqlite3.connect(file_of(engine), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(WouldWait), writes.begin() as conn:
            conn.execute(text("UPDATE users SET name = 'bob'"))
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM users")).scalar_one() == "alice"
    touch(writes)  # the connection is free again


def test_a_second_caller_is_refused_rather_than_queued(writes: NoWaitWrites) -> None:
    with writes.begin() as conn:
        conn.execute(text("UPDATE users SET name = name"))
        with pytest.raises(WouldWait), writes.begin():
            pass
    touch(writes)


def test_any_other_error_is_raised_as_it_was(writes: NoWaitWrites) -> None:
    with pytest.raises(exc.IntegrityError), writes.begin() as conn:
        conn.execute(text("UPDATE users SET name_key = 'x'"))
        conn.execute(text("INSERT INTO users SELECT * FROM users"))  # the same id again
    touch(writes)


def rest_after_a_slow_write(writes: NoWaitWrites, clock: Clock) -> float:
    """Seconds, to about a hundredth, that one write too slow rests them all for."""
    clock.step = nowait_writes.TOO_SLOW + 0.001  # the write's start and end are that far apart
    touch(writes)
    clock.step = 0.0
    rested = 0.0
    while True:
        try:
            touch(writes)
        except WouldWait:
            clock.now += 0.01
            rested += 0.01
            continue
        return rested


def test_one_slow_write_rests_them_all_for_a_while(writes: NoWaitWrites, clock: Clock) -> None:
    def about(seconds: float) -> object:
        return pytest.approx(seconds, abs=0.015)

    first = nowait_writes.FIRST_REST
    assert rest_after_a_slow_write(writes, clock) == about(first)
    # Slow again soon after: a slow disk rather than a stall, each rest twice the last.
    assert rest_after_a_slow_write(writes, clock) == about(first * 2)
    assert rest_after_a_slow_write(writes, clock) == about(first * 4)
    for _ in range(8):
        rest_after_a_slow_write(writes, clock)
    assert rest_after_a_slow_write(writes, clock) == about(nowait_writes.REST)
    # Tried again after the rest: a write slow again (on average) rests them again at once.
    clock.step = nowait_writes.SLOW * 2
    touch(writes)
    clock.step = 0.0
    with pytest.raises(WouldWait):
        touch(writes)
    # Fast for a while, a slow write is a stall again: a short rest.
    clock.now += nowait_writes.REST * 2
    touch(writes)
    assert rest_after_a_slow_write(writes, clock) == about(first)


def test_writes_slow_on_average_rest_them_too(writes: NoWaitWrites, clock: Clock) -> None:
    clock.step = nowait_writes.SLOW * 1.5  # each a little slow, none too slow
    made = 0
    with pytest.raises(WouldWait):
        for _ in range(100):
            touch(writes)
            made += 1
    assert 1 < made < 100


def wal_bytes_after(engine: Engine, writes: NoWaitWrites, commits: int) -> int:
    for n in range(commits):
        with writes.begin() as conn:
            conn.execute(text("UPDATE users SET name = :name"), {"name": f"{n:04d}" * 2000})
        if writes._checkpoint is not None:
            writes._checkpoint.result()  # each done before the next write, for the test
    return Path(file_of(engine) + "-wal").stat().st_size


def test_the_wal_is_copied_back_in_a_thread_every_so_many_commits(
    engine: Engine, writes: NoWaitWrites, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nowait_writes, "CHECKPOINT_EVERY", 5)
    checkpointed = wal_bytes_after(engine, writes, 200)
    monkeypatch.setattr(nowait_writes, "CHECKPOINT_EVERY", 10_000)
    never = wal_bytes_after(engine, writes, 200) - checkpointed
    # Copied back, the WAL starts over: it stays the size of a few commits.
    assert checkpointed * 5 < never


def test_writes_made_while_it_copies_back_are_copied_too_so_the_wal_starts_over(
    engine: Engine, writes: NoWaitWrites, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reader turning pages writes on while the checkpoint's thread copies: each pass made
    # beside the writes ends with one more commit in the WAL than it copied.
    other = sqlite3.connect(file_of(engine), isolation_level=None, check_same_thread=False)
    copy_back = nowait_writes._backfill
    held_off = []

    def meanwhile_a_write(conn: Connection) -> None:
        if writes._lock.locked():  # the writes held off: none can come now
            copy_back(conn)
            with pytest.raises(WouldWait):
                touch(writes)
            held_off.append(True)
            return
        other.execute("BEGIN IMMEDIATE")  # begun before the pass, committed during it
        other.execute("UPDATE users SET name = name || ''")
        copy_back(conn)
        other.execute("COMMIT")

    monkeypatch.setattr(nowait_writes, "_backfill", meanwhile_a_write)
    monkeypatch.setattr(nowait_writes, "CHECKPOINT_EVERY", 5)
    try:
        grown = wal_bytes_after(engine, writes, 200)
    finally:
        other.close()
    monkeypatch.setattr(nowait_writes, "CHECKPOINT_EVERY", 10_000)
    never = wal_bytes_after(engine, writes, 200) - grown
    assert len(held_off) == 200 // 5
    assert grown * 5 < never  # started over each time, as if no write had come meanwhile


def test_the_progress_store_saves_at_once_or_not_at_all(engine: Engine, clock: Clock) -> None:
    writes = NoWaitWrites(engine, clock=clock)  # never slow, whatever the machine is doing
    store = SqlProgressStore(engine, at_once=writes)
    key = ComicKey(PATH)
    try:
        saved = store.save_at_once(1, key, ProgressChange(5, 20, client_time=DEVICE_TIME), NOW)
        assert saved is not None and saved.page_number == 5
        assert store.position(1, key) == saved
        with pytest.raises(StaleProgress):
            store.save_at_once(1, key, ProgressChange(2, client_time=DEVICE_TIME - 60), NOW)
        holder = sqlite3.connect(file_of(engine), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        assert store.save_at_once(1, key, ProgressChange(9, 20), NOW) is None
        holder.execute("ROLLBACK")
        holder.close()
        assert store.position(1, key) == saved
    finally:
        writes.close()
    assert SqlProgressStore(engine).save_at_once(1, key, ProgressChange(9), NOW) is None


def test_a_database_it_cannot_open_now_is_a_write_that_would_wait(engine: Engine) -> None:
    engine.dispose()  # the only connection: an exclusive one, as another program might hold
    holder = sqlite3.connect(file_of(engine), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE users SET name = name")  # no other connection may even read now
    try:
        writes = NoWaitWrites(engine)  # starting is not failing
        with pytest.raises(WouldWait):
            touch(writes)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    touch(writes)
    writes.close()
