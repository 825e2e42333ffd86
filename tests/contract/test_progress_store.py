"""The ProgressStore contract, run against every adapter.

Comics move or leave through ``LibraryIndex.apply`` as a scan would; ``states`` reads back what a
list shows of each comic (``ProgressStore.readings``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.storage import SqlProgressStore
from bagboard.adapters.storage.db.nowait_writes import NoWaitWrites
from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.model import Library, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import (
    ComicKey,
    Device,
    ProgressChange,
    ReadingProgress,
    StaleProgress,
    read_position,
)
from bagboard.domain.progress_feed import ChangeKind, FeedCursor, FeedItem
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import entry, folders_for
from tests.contract.test_progress_readings import alice, bob, index_comics
from tests.progress_writes import states

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
alice = alice  # re-exported fixtures
bob = bob

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
EVERYTHING = FeedCursor.start(datetime(2000, 1, 1, tzinfo=UTC))
ALL = PageRequest(1, 200)


@pytest.fixture
def store(backend: Backend, library_index: LibraryIndex) -> Iterator[ProgressStore]:
    at_once = None if backend.engine is None else NoWaitWrites.for_engine(backend.engine)
    yield backend.pick(
        lambda: MemoryProgressStore(library_index),
        lambda engine: SqlProgressStore(engine, at_once=at_once),
    )
    if at_once is not None:
        at_once.close()


def save_soon(
    store: ProgressStore, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
) -> ReadingProgress:
    """As the HTTP API saves: at once when that need not wait, else as ever."""
    return store.save_at_once(user_id, key, change, now) or store.save(user_id, key, change, now)


def key_of(index: LibraryIndex, library: Library, relative: str) -> ComicKey:
    (comic_id,) = index_comics(index, library, relative)
    return ComicKey(f"{library.root}/{relative}", comic_id)


def feed(store: ProgressStore, user: User, after: FeedCursor = EVERYTHING) -> list[FeedItem]:
    return list(store.changes(user.id, after, ALL).items)


def test_nothing_stored_reads_none_and_a_save_reads_back(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    assert store.position(alice.id, key) is None
    saved = store.save(alice.id, key, ProgressChange(5, 32, 120, client_time=1000), T0)
    assert (saved.path, saved.page_number, saved.total_pages, saved.time_spent) == (
        key.path,
        5,
        32,
        120,
    )
    assert (saved.updated_at, saved.client_updated_at, saved.cleared) == (T0, 1000, False)
    assert store.position(alice.id, key) == saved


def test_fields_left_out_keep_their_stored_values(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    store.save(alice.id, key, ProgressChange(5, 32, 120), T0)
    saved = store.save(alice.id, key, ProgressChange(page_number=6), T0 + timedelta(seconds=1))
    assert (saved.page_number, saved.total_pages, saved.time_spent) == (6, 32, 120)
    assert store.position(alice.id, key) == saved


def test_an_older_timed_write_is_refused_and_changes_nothing(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    newer = store.save(alice.id, key, ProgressChange(12, client_time=200), T0)
    with pytest.raises(StaleProgress) as refused:
        store.save(alice.id, key, ProgressChange(30, client_time=100), T0 + timedelta(hours=1))
    assert refused.value.current == newer
    assert store.position(alice.id, key) == newer
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(12)}
    assert [item.page_number for item in feed(store, alice)] == [12]


def test_a_save_at_once_is_a_save_or_nothing_at_all(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    saved = store.save_at_once(alice.id, key, ProgressChange(5, 32, client_time=1000), T0)
    if saved is None:  # it would have waited: nothing written
        assert store.position(alice.id, key) is None
        saved = store.save(alice.id, key, ProgressChange(5, 32, client_time=1000), T0)
    assert (saved.page_number, saved.total_pages, saved.client_updated_at) == (5, 32, 1000)
    assert store.position(alice.id, key) == saved
    later = T0 + timedelta(seconds=1)
    with pytest.raises(StaleProgress):
        save_soon(store, alice.id, key, ProgressChange(30, client_time=999), later)
    behind = ProgressChange(3, forward_only=True)
    assert save_soon(store, alice.id, key, behind, later) == saved
    assert [item.page_number for item in feed(store, alice)] == [5]


def test_each_user_has_their_own_positions(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    store.save(alice.id, key, ProgressChange(3, client_time=500), T0)
    # Bob's older time is no conflict: the rule compares a user's own writes only.
    store.save(bob.id, key, ProgressChange(9, client_time=100), T0)
    assert store.position(alice.id, key).page_number == 3  # type: ignore[union-attr]
    assert store.position(bob.id, key).page_number == 9  # type: ignore[union-attr]
    assert [i.page_number for i in feed(store, bob)] == [9]


def test_a_path_that_is_not_indexed_is_kept_and_taken_over_once_indexed(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    path = f"{comics_library.root}/later.cbz"
    store.save(alice.id, ComicKey(path), ProgressChange(4, 20), T0)
    assert store.position(alice.id, ComicKey(path)).page_number == 4  # type: ignore[union-attr]
    key = key_of(library_index, comics_library, "later.cbz")
    assert store.position(alice.id, key).page_number == 4  # type: ignore[union-attr]
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(4)}
    store.save(alice.id, key, ProgressChange(page_number=5), T0 + timedelta(minutes=1))
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(5)}
    assert [(i.path, i.page_number, i.total_pages) for i in feed(store, alice)] == [(path, 5, 20)]


def test_a_position_follows_its_comic_when_moved(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "Incoming/x.cbz")
    store.save(alice.id, key, ProgressChange(7), T0)
    assert [i.path for i in feed(store, alice)] == [key.path]  # read (and maybe kept) before
    new = f"{comics_library.root}/Marvel/x 001.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new), moved=[ComicMove(key.comic_id or 0, entry(new))]
    )
    library_index.apply(comics_library.id, changes, T0)

    moved = ComicKey(new, key.comic_id)
    assert store.position(alice.id, moved).page_number == 7  # type: ignore[union-attr]
    assert store.position(alice.id, ComicKey(key.path)) is None  # the old path is free
    assert [i.path for i in feed(store, alice)] == [new]
    saved = store.save(alice.id, moved, ProgressChange(8), T0 + timedelta(minutes=1))
    assert saved.path == new


def test_a_position_survives_its_comic_being_indexed_again(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    old = key_of(library_index, comics_library, "x.cbz")
    store.save(alice.id, old, ProgressChange(30, 40, client_time=100), T0)
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[old.comic_id or 0]), T0)
    assert store.position(alice.id, ComicKey(old.path)).page_number == 30  # type: ignore[union-attr]
    new = key_of(library_index, comics_library, "x.cbz")
    assert new.comic_id != old.comic_id

    assert store.position(alice.id, new).page_number == 30  # type: ignore[union-attr]
    with pytest.raises(StaleProgress):
        store.save(alice.id, new, ProgressChange(2, client_time=50), T0)
    saved = store.save(alice.id, new, ProgressChange(31), T0 + timedelta(minutes=1))
    assert (saved.page_number, saved.total_pages) == (31, 40)
    assert len(feed(store, alice)) == 1


def test_clearing_leaves_a_tombstone_reported_once(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    assert store.clear(alice.id, key, T0) is False
    store.save(alice.id, key, ProgressChange(9, client_time=100), T0)
    assert store.clear(alice.id, key, T0 + timedelta(minutes=1)) is True
    assert store.clear(alice.id, key, T0 + timedelta(minutes=2)) is False

    position = store.position(alice.id, key)
    assert position is not None and position.cleared
    assert states(store, alice.id, [key.comic_id or 0]) == {}
    (item,) = feed(store, alice)
    assert (item.kind, item.path, item.page_number) == (ChangeKind.CLEARED, key.path, None)
    # Cleared at server time T0+1min: a replay timed before that is refused, with no current.
    with pytest.raises(StaleProgress) as refused:
        store.save(alice.id, key, ProgressChange(30, client_time=100), T0)
    assert refused.value.current is None
    # A new position starts from nothing: fields left out are empty, not the cleared ones.
    saved = store.save(alice.id, key, ProgressChange(page_number=1), T0 + timedelta(hours=1))
    assert (saved.page_number, saved.total_pages, saved.time_spent) == (1, None, 0)


def test_read_marks_and_unmarks_show_in_states_and_feed(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    comic_id = key.comic_id or 0
    store.set_read(alice.id, key, True, T0, page_count=32, time_spent=1800)
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(is_read=True)}
    assert states(store, bob.id, [comic_id]) == {}
    (item,) = feed(store, alice)
    assert (item.kind, item.page_count, item.time_spent) == (ChangeKind.READ, 32, 1800)

    store.set_read(alice.id, key, False, T0 + timedelta(minutes=1))
    assert states(store, alice.id, [comic_id]) == {}
    (item,) = feed(store, alice)
    assert item.kind is ChangeKind.UNREAD
    store.set_read(alice.id, key, False, T0 + timedelta(minutes=2))  # nothing to unmark
    assert feed(store, alice) == [item]

    store.set_read(alice.id, ComicKey("/not/indexed.cbz"), True, T0 + timedelta(minutes=3))
    store.set_read(alice.id, key, True, T0 + timedelta(minutes=4))
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(is_read=True)}
    assert [(i.kind, i.path) for i in feed(store, alice)] == [
        (ChangeKind.READ, "/not/indexed.cbz"),
        (ChangeKind.READ, key.path),
    ]


def test_a_mark_with_a_position_writes_the_position_first_in_the_same_change(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    comic_id = key.comic_id or 0
    store.save(alice.id, key, ProgressChange(5, 32, 120), T0)
    tablet = Device("tablet", "Kobo")
    moved = store.set_read(
        alice.id, key, True, T0 + timedelta(minutes=1), position=read_position(32, tablet)
    )
    assert moved is not None and moved == store.position(alice.id, key)
    assert (moved.page_number, moved.total_pages, moved.time_spent) == (32, 32, 120)
    assert (moved.device, moved.server_stamped) == (tablet, True)
    assert store.readings(alice.id, [comic_id])[comic_id].position == moved
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(32, True)}
    position, mark = feed(store, alice)
    assert (position.kind, position.page_number, mark.kind) == (
        ChangeKind.POSITION,
        32,
        ChangeKind.READ,
    )
    assert position.updated_at == mark.updated_at == T0 + timedelta(minutes=1)
    assert position.cursor < mark.cursor

    # At (or past) the last page already, a mark moves nothing: only the mark is new.
    again = store.set_read(
        alice.id, key, True, T0 + timedelta(minutes=2), position=read_position(32)
    )
    assert again == moved
    assert [i.kind for i in feed(store, alice, mark.cursor)] == [ChangeKind.READ]

    # Unmarking keeps the position.
    assert store.set_read(alice.id, key, False, T0 + timedelta(minutes=3)) is None
    assert store.position(alice.id, key) == moved
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(32, False)}


def test_a_mark_whose_position_is_refused_writes_neither(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    newer = store.save(alice.id, key, ProgressChange(12, client_time=200), T0)
    with pytest.raises(StaleProgress):
        store.set_read(alice.id, key, True, T0, position=ProgressChange(40, client_time=100))
    assert store.position(alice.id, key) == newer
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(12)}
    assert [item.kind for item in feed(store, alice)] == [ChangeKind.POSITION]


def test_a_mark_of_a_path_not_indexed_may_carry_a_position(
    store: ProgressStore, comics_library: Library, alice: User
) -> None:
    key = ComicKey(f"{comics_library.root}/later.cbz")
    moved = store.set_read(alice.id, key, True, T0, position=read_position(24))
    assert moved == store.position(alice.id, key)
    assert moved is not None and (moved.page_number, moved.total_pages) == (24, 24)
    assert [(i.kind, i.path) for i in feed(store, alice)] == [
        (ChangeKind.POSITION, key.path),
        (ChangeKind.READ, key.path),
    ]


def test_a_device_time_may_lag_a_server_stamped_time_by_the_tolerance_only(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    t0 = int(T0.timestamp())
    untimed = store.save(alice.id, key, ProgressChange(5), T0)
    assert (untimed.client_updated_at, untimed.server_stamped) == (t0, True)
    assert store.position(alice.id, key) == untimed
    later = T0 + timedelta(seconds=10)
    lagging = store.save(alice.id, key, ProgressChange(6, client_time=t0 - 30), later)
    assert (lagging.client_updated_at, lagging.server_stamped) == (t0 - 30, False)
    assert store.position(alice.id, key) == lagging
    # Between two device times the rule is exact.
    with pytest.raises(StaleProgress):
        store.save(alice.id, key, ProgressChange(7, client_time=t0 - 31), later)

    store.save(alice.id, key, ProgressChange(8), later)  # stamped with the server's time
    with pytest.raises(StaleProgress):
        store.save(alice.id, key, ProgressChange(9, client_time=t0 - 90), later)
    # A tombstone is stamped by the server too.
    store.clear(alice.id, key, later)
    cleared = store.position(alice.id, key)
    assert cleared is not None and cleared.server_stamped
    with pytest.raises(StaleProgress):
        store.save(alice.id, key, ProgressChange(9, client_time=t0 - 90), later)
    assert store.save(alice.id, key, ProgressChange(9, client_time=t0 - 30), later).page_number == 9


def test_the_feed_pages_by_time_then_id_and_resumes_after_a_cursor(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    keys = [key_of(library_index, comics_library, f"{n}.cbz") for n in range(5)]
    # The same clock reading for every write, then a clock step back: times still increase.
    for n, key in enumerate(keys):
        store.save(alice.id, key, ProgressChange(n), T0)
    store.set_read(alice.id, keys[0], True, T0 - timedelta(hours=1))
    store.save(alice.id, keys[1], ProgressChange(10), T0 - timedelta(hours=2))

    items = feed(store, alice)
    assert [(i.path, i.kind, i.page_number) for i in items] == [
        (keys[0].path, ChangeKind.POSITION, 0),
        (keys[2].path, ChangeKind.POSITION, 2),
        (keys[3].path, ChangeKind.POSITION, 3),
        (keys[4].path, ChangeKind.POSITION, 4),
        (keys[0].path, ChangeKind.READ, None),
        (keys[1].path, ChangeKind.POSITION, 10),
    ]
    times = [i.updated_at for i in items]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[0] == T0

    second = store.changes(alice.id, EVERYTHING, PageRequest(2, 4))
    assert (second.total, [i.cursor for i in second.items]) == (6, [i.cursor for i in items[4:]])
    rest = store.changes(alice.id, items[2].cursor, PageRequest(1, 2))
    assert (rest.total, list(rest.items)) == (3, items[3:5])
    assert feed(store, alice, items[-1].cursor) == []
    # A start time is inclusive.
    assert feed(store, alice, FeedCursor.start(items[1].updated_at)) == items[1:]


def test_a_write_after_a_cursor_comes_after_it(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    first, second = (key_of(library_index, comics_library, f"{n}.cbz") for n in range(2))
    store.save(alice.id, first, ProgressChange(1), T0)
    store.save(alice.id, second, ProgressChange(1), T0)
    seen = feed(store, alice)
    # The first row changes again: it reappears after the cursor, once.
    store.save(alice.id, first, ProgressChange(2), T0)
    later = feed(store, alice, seen[-1].cursor)
    assert [(i.path, i.page_number) for i in later] == [(first.path, 2)]


def test_a_comic_moved_onto_a_kept_path_takes_its_row_unless_it_has_its_own(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    target = f"{comics_library.root}/Sorted/y.cbz"
    store.save(alice.id, ComicKey(target), ProgressChange(6), T0)
    store.save(bob.id, ComicKey(target), ProgressChange(1), T0)
    key = key_of(library_index, comics_library, "Incoming/y.cbz")
    store.save(bob.id, key, ProgressChange(9), T0)  # Bob has a row for the comic itself
    comic_id = key.comic_id or 0
    changes = IndexChanges(
        folders=folders_for(comics_library, target), moved=[ComicMove(comic_id, entry(target))]
    )
    library_index.apply(comics_library.id, changes, T0)

    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(6)}
    assert states(store, bob.id, [comic_id]) == {comic_id: ReadingState(9)}
    assert store.position(bob.id, ComicKey(target, comic_id)).page_number == 9  # type: ignore[union-attr]


def test_a_read_mark_kept_by_path_alone_is_taken_by_the_comic_arriving_there(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # A mark with no position beside it: the look for rows to link must see read marks too.
    path = f"{comics_library.root}/later.cbz"
    store.set_read(alice.id, ComicKey(path), True, T0)
    key = key_of(library_index, comics_library, "later.cbz")
    comic_id = key.comic_id or 0
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(is_read=True)}
    # Taken by the comic, the mark follows it when it moves; a row left at the path would not.
    new = f"{comics_library.root}/Sorted/later.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new), moved=[ComicMove(comic_id, entry(new))]
    )
    library_index.apply(comics_library.id, changes, T0)
    assert states(store, alice.id, [comic_id]) == {comic_id: ReadingState(is_read=True)}
    assert [(i.kind, i.path) for i in feed(store, alice)] == [(ChangeKind.READ, new)]


def test_a_path_written_while_its_comic_was_hidden_is_linked_by_the_next_write(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    key = key_of(library_index, comics_library, "hidden.cbz")
    # The service names a comic the user may not see by its path alone.
    store.save(alice.id, ComicKey(key.path), ProgressChange(3, 9), T0)
    # A list shows the position the comic's key finds, as its detail does.
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(3)}
    assert store.position(alice.id, ComicKey(key.path)).page_number == 3  # type: ignore[union-attr]
    # Once the user may see it, the comic's key finds the row kept at its path and takes it.
    assert store.position(alice.id, key).page_number == 3  # type: ignore[union-attr]
    saved = store.save(alice.id, key, ProgressChange(4), T0 + timedelta(minutes=1))
    assert (saved.page_number, saved.total_pages) == (4, 9)
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(4)}
    assert len(feed(store, alice)) == 1


def test_concurrent_writers_lose_nothing_and_the_newest_timed_write_wins(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    shared = key_of(library_index, comics_library, "shared.cbz")
    own = [key_of(library_index, comics_library, f"own {n}.cbz") for n in range(8)]
    start = threading.Barrier(len(own))
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        # Half of them as the HTTP API saves, at once when that need not wait.
        def save(key: ComicKey, change: ProgressChange) -> None:
            if n % 2:
                store.save(alice.id, key, change, T0)
            else:
                save_soon(store, alice.id, key, change, T0)

        try:
            start.wait()
            for k in range(10):
                stamp = 1000 + k * len(own) + n
                with contextlib.suppress(StaleProgress):
                    save(shared, ProgressChange(stamp, client_time=stamp))
                save(own[n], ProgressChange(k + 1))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(len(own))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    newest = 1000 + 9 * len(own) + len(own) - 1
    assert store.position(alice.id, shared).page_number == newest  # type: ignore[union-attr]
    assert [store.position(alice.id, key).page_number for key in own] == [10] * len(own)  # type: ignore[union-attr]
    items = feed(store, alice)
    assert len(items) == len(own) + 1
    times = [item.updated_at for item in items]
    assert len(set(times)) == len(times)


def test_writing_for_a_comic_removed_meanwhile_is_comic_not_found(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # The service looked the path up just before a scan removed the comic.
    gone, fresh = (key_of(library_index, comics_library, f"{n}.cbz") for n in ("gone", "new"))
    store.save(alice.id, gone, ProgressChange(3), T0)
    store.set_read(alice.id, gone, True, T0)
    removed = IndexChanges(removed_comics=[gone.comic_id or 0, fresh.comic_id or 0])
    library_index.apply(comics_library.id, removed, T0)
    for key in (gone, fresh):
        with pytest.raises(ComicNotFound):
            store.save(alice.id, key, ProgressChange(4), T0)
        with pytest.raises(ComicNotFound):
            store.set_read(alice.id, key, True, T0)
        with pytest.raises(ComicNotFound):
            store.set_read(alice.id, key, True, T0, position=read_position(10))
    with pytest.raises(ComicNotFound):
        store.clear(alice.id, gone, T0)
    with pytest.raises(ComicNotFound):
        store.set_read(alice.id, gone, False, T0)
    assert store.position(alice.id, ComicKey(gone.path)).page_number == 3  # type: ignore[union-attr]
    assert [item.kind for item in feed(store, alice)] == [ChangeKind.POSITION, ChangeKind.READ]
