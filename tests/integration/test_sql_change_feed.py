"""The change feed on every SQL backend: two engines on one database stand for two processes;
what one commits moves the other's feed (SQLite: on its very next call; PostgreSQL: when the
notification arrives), and per-request touches move nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.storage import (
    SqlFolderBrowser,
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlSettingsStore,
    SqlTokenStore,
    SqlUserStore,
    make_engine,
    upgrade,
)
from bagboard.adapters.storage.admin.web_sessions import SqlWebSessionStore
from bagboard.adapters.storage.changes import change_feed
from bagboard.adapters.storage.changes import sqlite as sqlite_feed
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import BrowseMode, Role, ServerSettings
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.tokens import hash_secret
from bagboard.ports.change_feed import Change, ChangeFeed
from bagboard.services.auth import Authenticator
from bagboard.services.recent_cache import Freshness
from tests.integration.test_sql_index import ROOT, add, comic

AT = datetime(2026, 4, 1, tzinfo=UTC)
# PostgreSQL's notifications arrive after the commit; this bounds the wait for one.
NOTIFIED_WITHIN = 2.0


@pytest.fixture
def other(sql_engine: Engine) -> Iterator[Engine]:
    """A second engine on the same database, as another process would open it."""
    engine = make_engine(sql_engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


@pytest.fixture
def feed(other: Engine) -> Iterator[ChangeFeed]:
    """The change feed of the second process."""
    changes = change_feed(other)
    yield changes
    changes.close()


def moved(feed: ChangeFeed, change: Change, before: int, engine: Engine) -> bool:
    """Whether ``change`` moved on from ``before``: on SQLite at the next call, on PostgreSQL
    once the notification has arrived."""
    if engine.dialect.name == "sqlite":
        return feed.version(change) != before
    deadline = time.monotonic() + NOTIFIED_WITHIN
    while feed.version(change) == before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def settled(feed: ChangeFeed, engine: Engine) -> dict[Change, int]:
    """Every version, once the notifications of earlier writes have arrived. On PostgreSQL a
    probe follows them (a ``settings`` notification with no write: it moves that kind), and
    notifications arrive in commit order."""
    if engine.dialect.name == "postgresql":
        feed.version(Change.SETTINGS)  # starts the listener
        deadline = time.monotonic() + NOTIFIED_WITHIN
        while not feed.following():
            assert time.monotonic() < deadline, "the listener never started"
            time.sleep(0.005)
        before = feed.version(Change.SETTINGS)
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT pg_notify('bagboard_changes', 'settings')")
        assert moved(feed, Change.SETTINGS, before, engine)
    return {change: feed.version(change) for change in Change}


def unmoved(before: dict[Change, int], after: dict[Change, int]) -> set[Change]:
    """The kinds that did not move (the probe of ``settled`` moves ``settings`` itself)."""
    return {change for change in Change if before[change] == after[change]}


def test_a_token_revoked_through_one_engine_is_refused_by_the_other_at_once(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    token = SqlTokenStore(sql_engine).add(user.id, "tablet", hash_secret("s3cret"), AT)
    auth = Authenticator(
        SqlUserStore(other), SqlTokenStore(other), ManualClock(), freshness=Freshness(feed)
    )
    assert auth.authenticate("Bearer s3cret").name == "alice"
    before = settled(feed, sql_engine)
    assert auth.authenticate("Bearer s3cret").name == "alice"  # kept, not read again
    SqlTokenStore(sql_engine).revoke(token.id, AT)
    assert moved(feed, Change.ACCESS, before[Change.ACCESS], sql_engine)
    with pytest.raises(Unauthorized):
        auth.authenticate("Bearer s3cret")
    after = {change: feed.version(change) for change in Change}
    assert unmoved(before, after) == {
        Change.LIBRARIES,
        Change.SETTINGS,
        Change.INDEX,
        Change.READING,
    }


def test_users_libraries_settings_and_the_index_each_move_their_kind(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    users, libraries = SqlUserStore(sql_engine), SqlLibraryStore(sql_engine)
    library = libraries.add("Comics", ROOT)
    bob = users.add("bob", Role.READER, [library.id])
    writes = [
        (Change.ACCESS, lambda: users.remove(bob.id)),
        (Change.LIBRARIES, lambda: libraries.set_enabled(library.id, False)),
        (
            Change.SETTINGS,
            lambda: SqlSettingsStore(sql_engine).save(ServerSettings(BrowseMode.FILESYSTEM)),
        ),
        (
            Change.INDEX,
            lambda: add(SqlLibraryIndex(sql_engine), library.id, comic(f"{ROOT}/a.cbz")),
        ),
    ]
    for change, write in writes:
        before = settled(feed, sql_engine)
        write()
        assert moved(feed, change, before[change], sql_engine), change


def test_per_request_touches_move_nothing(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    tokens = SqlTokenStore(sql_engine)
    token = tokens.add(user.id, "tablet", hash_secret("s3cret"), AT)
    sessions = SqlWebSessionStore(sql_engine)
    session = sessions.add(user.id, "a" * 64, "csrf", AT, AT.replace(year=2027))
    before = settled(feed, sql_engine)
    tokens.touch(token.id, AT.replace(hour=1))
    sessions.touch(session.id, AT.replace(hour=1))
    assert unmoved(before, settled(feed, sql_engine)) >= {Change.ACCESS, Change.INDEX}


def test_reading_writes_move_reading_alone(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    # A reader's own writes take a lock on the user (SQLite: a write that changes no row);
    # they must not look like a change of users, or every process would drop its tokens.
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    progress = SqlProgressStore(sql_engine)
    key = ComicKey(path=f"{ROOT}/a.cbz")
    before = settled(feed, sql_engine)
    progress.save(user.id, key, ProgressChange(page_number=3), AT)
    progress.set_read(user.id, key, True, AT.replace(hour=1))
    progress.clear(user.id, key, AT.replace(hour=2))
    after = settled(feed, sql_engine)
    assert unmoved(before, after) >= {Change.ACCESS, Change.INDEX}
    assert after[Change.READING] != before[Change.READING]
    found = SqlUserStore(sql_engine).get(user.id)
    assert found is not None and found.name == "alice"


def test_values_kept_from_the_index_go_when_another_engine_writes_it(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    writer = SqlLibraryIndex(sql_engine)
    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 001.cbz"))
    browser = SqlFolderBrowser(other, feed)
    (folder,) = browser.named([library_id], None, "DC")
    (series,) = browser.children([folder.id], PageRequest(1, 50)).items

    def names() -> list[str]:
        page = browser.comics([series.id], PageRequest(1, 50))
        return [row.name for row in page.items]

    assert names() == ["Batman 001.cbz"]
    before = settled(feed, sql_engine)
    assert names() == ["Batman 001.cbz"]
    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 002.cbz"))
    assert moved(feed, Change.INDEX, before[Change.INDEX], sql_engine)
    assert names() == ["Batman 001.cbz", "Batman 002.cbz"]


def test_an_index_write_of_this_process_shows_at_once(
    sql_engine: Engine, feed: ChangeFeed, other: Engine
) -> None:
    """No waiting for the notification: the writer tells its own feed."""
    library_id = SqlLibraryStore(other).add("Comics", ROOT).id
    writer = SqlLibraryIndex(other, feed)
    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 001.cbz"))
    browser = SqlFolderBrowser(other, feed)
    (folder,) = browser.named([library_id], None, "DC")
    (series,) = browser.children([folder.id], PageRequest(1, 50)).items
    assert browser.comics([series.id], PageRequest(1, 50)).total == 1
    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 002.cbz"))
    assert browser.comics([series.id], PageRequest(1, 50)).total == 2


_REVOKE = """
import sys
from datetime import UTC, datetime
from bagboard.adapters.storage import SqlTokenStore, make_engine
engine = make_engine(sys.argv[1])
SqlTokenStore(engine).revoke(int(sys.argv[2]), datetime.now(UTC))
engine.dispose()
"""


def test_a_token_revoked_by_another_process_is_refused_on_the_next_request(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    user = SqlUserStore(sql_engine).add("alice", Role.OWNER)
    token = SqlTokenStore(sql_engine).add(user.id, "tablet", hash_secret("s3cret"), AT)
    auth = Authenticator(
        SqlUserStore(other), SqlTokenStore(other), ManualClock(), freshness=Freshness(feed)
    )
    assert auth.authenticate("Bearer s3cret").name == "alice"
    before = settled(feed, sql_engine)
    url = sql_engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", _REVOKE, url, str(token.id)], check=True, timeout=60)
    assert moved(feed, Change.ACCESS, before[Change.ACCESS], sql_engine)
    with pytest.raises(Unauthorized):
        auth.authenticate("Bearer s3cret")


def test_a_forked_child_follows_changes_on_its_own(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    """A child process forked from a following one starts its own following: what it kept
    from the parent is not trusted, and a change made afterwards reaches it."""
    settled(feed, sql_engine)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether a change moves its feed, then leave at once
        ok = False
        try:
            # The parent's pooled connections stay the parent's.
            other.dispose(close=False)
            sql_engine.dispose(close=False)
            before = feed.version(Change.LIBRARIES)
            SqlLibraryStore(sql_engine).add("Forked", "/srv/forked")
            ok = moved(feed, Change.LIBRARIES, before, sql_engine)
        finally:
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"


def test_an_in_memory_database_is_read_through_its_engine() -> None:
    """No file to watch: not following, and every call reads the counters (still exact)."""
    engine = make_engine("sqlite://")
    upgrade(engine)
    changes = change_feed(engine)
    try:
        assert not changes.following()
        before = changes.version(Change.SETTINGS)
        assert changes.version(Change.SETTINGS) == before
        SqlSettingsStore(engine).save(ServerSettings(BrowseMode.FILESYSTEM))
        assert changes.version(Change.SETTINGS) != before
    finally:
        changes.close()
        engine.dispose()


def test_every_thread_sees_a_commit_on_its_next_call(sqlite_engine: Engine) -> None:
    """Each thread asks on a connection of its own; a commit made since shows on each."""
    changes = change_feed(sqlite_engine)
    try:
        with ThreadPoolExecutor(max_workers=1) as worker:
            first = worker.submit(changes.version, Change.ACCESS).result()
            here = changes.version(Change.ACCESS)
            SqlUserStore(sqlite_engine).add("dora", Role.OWNER)
            assert worker.submit(changes.version, Change.ACCESS).result() != first
            assert changes.version(Change.ACCESS) != here
    finally:
        changes.close()


def test_on_a_loop_a_commit_made_before_the_next_turn_is_seen(sqlite_engine: Engine) -> None:
    """On an event loop the feed asks once per turn: what a request reads after it began sees
    every commit made before it began, and a turn that asked already asks again after this
    process's own ``noted`` write."""
    changes = change_feed(sqlite_engine)
    users = SqlUserStore(sqlite_engine)

    async def requests() -> None:
        first = changes.version(Change.ACCESS)
        users.add("dora", Role.OWNER)  # committed during this turn
        assert changes.version(Change.ACCESS) == first  # asked once this turn
        await asyncio.sleep(0)  # the next turn: a request that begins now
        second = changes.version(Change.ACCESS)
        assert second != first
        users.add("eve", Role.READER)
        changes.noted(Change.INDEX)
        assert changes.version(Change.ACCESS) != second

    try:
        asyncio.run(requests())
        # Outside a loop every call asks, as the command line and worker threads do.
        here = changes.version(Change.ACCESS)
        users.add("fay", Role.READER)
        assert changes.version(Change.ACCESS) != here
    finally:
        changes.close()


def test_on_a_loop_a_turn_looks_the_running_loop_up_once(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each look-up of the running loop is a ``getpid`` system call: a turn's first call makes
    it, the calls after it in the same turn none."""
    changes = change_feed(sqlite_engine)
    looked_up: list[object] = []
    running_loop = sqlite_feed.running_loop

    def counted() -> object:
        looked_up.append(None)
        return running_loop()

    monkeypatch.setattr(sqlite_feed, "running_loop", counted)

    async def requests() -> list[int]:
        counts = []
        for _ in range(2):  # two turns
            for _ in range(5):
                changes.version(Change.ACCESS)
                changes.version(Change.SETTINGS)
            counts.append(len(looked_up))
            await asyncio.sleep(0)
        return counts

    try:
        assert asyncio.run(requests()) == [1, 2]
    finally:
        changes.close()


def test_a_stopped_loop_leaves_its_turn_asking_again(sqlite_engine: Engine) -> None:
    """A loop that asked and stopped (its turn's end never ran) is no longer a turn: a call
    outside it sees a commit made since."""
    changes = change_feed(sqlite_engine)
    loop = asyncio.new_event_loop()
    asked: list[int] = []

    def ask_and_stop() -> None:
        asked.append(changes.version(Change.ACCESS))
        loop.stop()  # the loop ends with this turn, before the callbacks it queued

    try:
        loop.call_soon(ask_and_stop)
        loop.run_forever()
        first = asked[0]
        SqlUserStore(sqlite_engine).add("dora", Role.OWNER)
        assert changes.version(Change.ACCESS) != first
    finally:
        loop.close()
        changes.close()
