"""Readings and sync-feed pages kept by the SQL progress store against the change feed's
``reading`` and ``index`` kinds: a kept value costs no statement at all, and a write by any
process (another engine here) ends it, on SQLite at the next call, on PostgreSQL when the
notification arrives (and at every call while notifications cannot be heard)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, event, select

from bagboard.adapters.storage import SqlLibraryIndex, SqlLibraryStore, SqlUserStore, make_engine
from bagboard.adapters.storage.changes.postgresql import PostgresChangeFeed
from bagboard.adapters.storage.db.tables import change_counters
from bagboard.adapters.storage.progress.store import SqlProgressStore
from bagboard.domain.model import Role
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.progress_feed import FeedCursor
from bagboard.ports.change_feed import Change, ChangeFeed
from tests.integration import test_sql_change_feed as change_feed_tests
from tests.integration.test_sql_change_feed import moved, settled
from tests.integration.test_sql_index import ROOT, add, comic

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
# The second process and its feed, as the change feed tests make them.
other = change_feed_tests.other
feed = change_feed_tests.feed


def statements_on(engine: Engine) -> list[str]:
    """Every statement run on ``engine`` from now on through its events (ORM and Core), and
    every connection borrowed from its pool (as ``"checkout"``): the lean path's reads run
    on the driver's cursor, unseen by the events, but each borrows a connection."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine, "checkout", lambda *args: seen.append("checkout"))
    return seen


def _id(index: SqlLibraryIndex, path: str) -> int:
    found = index.comic_at(path)
    assert found is not None, path
    return found.id


def indexed(engine: Engine, names: int) -> list[int]:
    library_id = SqlLibraryStore(engine).add("Comics", ROOT).id
    index = SqlLibraryIndex(engine)
    paths = [f"{ROOT}/Batman/Batman {n:03}.cbz" for n in range(names)]
    add(index, library_id, *(comic(path) for path in paths))
    return [_id(index, path) for path in paths]


def test_kept_readings_and_feed_pages_cost_no_statement(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
    ids = indexed(sql_engine, 3)
    store = SqlProgressStore(other, feed)
    store.save(alice, ComicKey(f"{ROOT}/Batman/Batman 000.cbz", ids[0]), ProgressChange(4), T0)
    settled(feed, sql_engine)
    start = FeedCursor.start(T0)
    # Even an issue's own page (one comic) is kept: its version is a number in memory.
    first = (
        store.readings(alice, ids),
        store.readings(alice, ids[:1]),
        store.changes(alice, start, PageRequest()),
    )
    seen = statements_on(other)
    again = (
        store.readings(alice, ids),
        store.readings(alice, ids[:1]),
        store.changes(alice, start, PageRequest()),
    )
    assert seen == []
    assert again == first and first[1] == {ids[0]: first[0][ids[0]]}
    assert first[0][ids[0]].position is not None
    assert first[0][ids[0]].position.page_number == 4


def test_a_write_by_another_process_ends_what_is_kept(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
    ids = indexed(sql_engine, 2)
    keys = [ComicKey(f"{ROOT}/Batman/Batman {n:03}.cbz", ids[n]) for n in range(2)]
    reader = SqlProgressStore(other, feed)
    writer = SqlProgressStore(sql_engine)  # another process, with a feed of its own or none
    start = FeedCursor.start(T0)

    def pages() -> dict[int, int | None]:
        found = reader.readings(alice, ids)
        return {i: r.position.page_number if r.position else None for i, r in found.items()}

    def feed_pages() -> list[int | None]:
        return [i.page_number for i in reader.changes(alice, start, PageRequest()).items]

    writer.save(alice, keys[0], ProgressChange(2), T0)
    before = settled(feed, sql_engine)
    assert pages() == {ids[0]: 2} and feed_pages() == [2]
    writer.save(alice, keys[0], ProgressChange(7), T0)
    assert moved(feed, Change.READING, before[Change.READING], sql_engine)
    assert pages() == {ids[0]: 7} and feed_pages() == [7]
    before = settled(feed, sql_engine)
    writer.set_read(alice, keys[1], True, T0)
    assert moved(feed, Change.READING, before[Change.READING], sql_engine)
    assert reader.readings(alice, ids)[ids[1]].is_read
    assert len(reader.changes(alice, start, PageRequest()).items) == 2
    before = settled(feed, sql_engine)
    writer.clear(alice, keys[0], T0)
    assert moved(feed, Change.READING, before[Change.READING], sql_engine)
    assert pages() == {ids[1]: None}


def test_a_write_of_this_process_shows_at_once(sql_engine: Engine, feed: ChangeFeed) -> None:
    """No waiting for the notification: the store tells its own feed."""
    other_engine = make_engine(sql_engine.url.render_as_string(hide_password=False))
    try:
        alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
        ids = indexed(sql_engine, 1)
        key = ComicKey(f"{ROOT}/Batman/Batman 000.cbz", ids[0])
        store = SqlProgressStore(other_engine, feed)
        for page in (3, 9, 1):
            store.save(alice, key, ProgressChange(page), T0)
            position = store.readings(alice, ids)[ids[0]].position
            assert position is not None and position.page_number == page
    finally:
        other_engine.dispose()


def test_index_writes_end_kept_readings_too(
    sql_engine: Engine, other: Engine, feed: ChangeFeed
) -> None:
    """A position kept by path finds its comic when a scan adds it: that comes with an index
    write, not a reading one (a re-keyed row moves no ``reading`` counter)."""
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    path = f"{ROOT}/Batman/Batman 001.cbz"
    SqlProgressStore(sql_engine).save(alice, ComicKey(path), ProgressChange(5), T0)
    index = SqlLibraryIndex(sql_engine)
    add(index, library_id, comic(f"{ROOT}/Batman/Batman 000.cbz"))
    reader = SqlProgressStore(other, feed)
    first = _id(index, f"{ROOT}/Batman/Batman 000.cbz")
    assert reader.readings(alice, [first]) == {}
    before = settled(feed, sql_engine)
    add(index, library_id, comic(path))
    assert moved(feed, Change.INDEX, before[Change.INDEX], sql_engine)
    linked = _id(index, path)
    found = reader.readings(alice, [first, linked])
    assert list(found) == [linked]
    assert found[linked].position is not None and found[linked].position.page_number == 5


def test_reading_counts_on_sqlite_and_notifies_on_postgresql(sql_engine: Engine) -> None:
    """SQLite raises a ``reading`` counter row; PostgreSQL keeps none (a row every reader's
    write locked until its commit would make them all wait for one another)."""
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id

    def counter() -> int | None:
        with sql_engine.connect() as conn:
            found = conn.execute(
                select(change_counters.c.value).where(change_counters.c.kind == "reading")
            ).scalar()
        return None if found is None else int(found)

    before = counter()
    SqlProgressStore(sql_engine).save(alice, ComicKey(f"{ROOT}/a.cbz"), ProgressChange(3), T0)
    if sql_engine.dialect.name == "postgresql":
        assert before is None and counter() is None
    else:
        assert counter() == (before or 0) + 1


def test_postgresql_not_listening_trusts_no_kept_reading(postgresql_engine: Engine) -> None:
    """Without notifications there is no counter to read: every version is new."""
    changes = PostgresChangeFeed(postgresql_engine)
    changes.close()  # never listens
    try:
        first = changes.version(Change.READING)
        assert changes.version(Change.READING) != first
        settings = changes.version(Change.SETTINGS)
        assert changes.version(Change.SETTINGS) == settings  # counted kinds stay exact
    finally:
        changes.close()


def test_every_version_at_once(sql_engine: Engine, other: Engine, feed: ChangeFeed) -> None:
    """``versions`` is every kind's ``version`` in one look, and moves as they move."""
    before = settled(feed, sql_engine)
    assert feed.versions() == tuple(before[change] for change in Change)
    alice = SqlUserStore(sql_engine).add("alice", Role.OWNER).id
    SqlProgressStore(sql_engine).save(alice, ComicKey(f"{ROOT}/a.cbz"), ProgressChange(3), T0)
    assert moved(feed, Change.READING, before[Change.READING], sql_engine)
    after = feed.versions()
    assert after == tuple(feed.version(change) for change in Change)
    at = list(Change).index(Change.READING)
    assert after[at] != before[Change.READING]
