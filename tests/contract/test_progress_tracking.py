"""The ProgressStore contract for OPDS clients, run against every adapter: the device kept with
a position, forward-only page tracking, and positions read for a page of comics at once.

Fixtures come from ``test_progress_store`` (the same store over the same index).
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.model import Library, User
from bagboard.domain.progress import MAX_CLOCK_AHEAD, ComicKey, Device, ProgressChange
from bagboard.domain.progress_feed import ChangeKind
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from tests.contract import test_progress_readings
from tests.contract import test_progress_store as shared
from tests.contract.test_library_index import entry, folders_for
from tests.contract.test_progress_store import T0, feed, key_of
from tests.progress_writes import positions, states

library_index = shared.library_index
comics_library = shared.comics_library
store = shared.store
alice = test_progress_readings.alice
bob = test_progress_readings.bob

TABLET = Device("b1f0c6e2-tablet", "Kobo Libra 2")
PHONE = Device("phone-7", "Pixel ⑦ — 読書")


def track(page: int, device: Device | None = TABLET) -> ProgressChange:
    return ProgressChange(page_number=page, device=device, forward_only=True)


# --- the device --------------------------------------------------------------------------------


def test_the_writing_device_is_kept_and_replaced_by_the_next_writer(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    saved = store.save(alice.id, key, ProgressChange(5, 32, device=TABLET), T0)
    assert saved.device == TABLET
    assert store.position(alice.id, key) == saved

    saved = store.save(alice.id, key, ProgressChange(6, device=PHONE), T0 + timedelta(seconds=1))
    assert store.position(alice.id, key) == saved
    assert (saved.device, saved.page_number, saved.total_pages) == (PHONE, 6, 32)

    # An /api/v1 write names no device: the last writer is then none of them.
    saved = store.save(alice.id, key, ProgressChange(7), T0 + timedelta(seconds=2))
    assert saved.device is None
    assert store.position(alice.id, key) == saved
    # The feed is as before: positions, without a device.
    (item,) = feed(store, alice)
    assert (item.kind, item.page_number) == (ChangeKind.POSITION, 7)


def test_a_device_with_the_longest_id_and_name_round_trips(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    device = Device("i" * 200, "ñ" * 200)
    store.save(alice.id, key, ProgressChange(1, device=device), T0)
    assert store.position(alice.id, key).device == device  # type: ignore[union-attr]
    assert positions(store, alice.id, [key.comic_id or 0])[key.comic_id or 0].device == device


def test_clearing_forgets_the_device(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    store.save(alice.id, key, ProgressChange(5, device=TABLET), T0)
    store.clear(alice.id, key, T0 + timedelta(seconds=1))
    tombstone = store.position(alice.id, key)
    assert tombstone is not None and tombstone.cleared and tombstone.device is None
    saved = store.save(alice.id, key, ProgressChange(1), T0 + timedelta(seconds=2))
    assert saved.device is None and store.position(alice.id, key) == saved


# --- forward-only changes ------------------------------------------------------------------------


def test_forward_only_changes_move_on_and_never_back(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    first = store.save(alice.id, key, track(5), T0)
    assert (first.page_number, first.device, first.updated_at) == (5, TABLET, T0)
    seen = feed(store, alice)

    for page in (3, 0, 5):  # behind or at the stored page: nothing is written
        held = store.save(alice.id, key, track(page, PHONE), T0 + timedelta(minutes=page + 1))
        assert held == first
    assert store.position(alice.id, key) == first
    assert feed(store, alice) == seen  # no new server time, no feed entry
    assert feed(store, alice, seen[-1].cursor) == []

    later = T0 + timedelta(minutes=10)
    moved = store.save(alice.id, key, track(9, PHONE), later)
    assert (moved.page_number, moved.device, moved.updated_at) == (9, PHONE, later)
    assert store.position(alice.id, key) == moved
    assert states(store, alice.id, [key.comic_id or 0]) == {key.comic_id: ReadingState(9)}
    (item,) = feed(store, alice, seen[-1].cursor)
    assert (item.page_number, item.updated_at) == (9, later)


def test_a_forward_only_change_keeps_the_other_fields_and_is_never_stale(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    # A device clock ahead (within the trusted margin): an untimed change still applies,
    # keeping the stored time.
    ahead = int(T0.timestamp()) + MAX_CLOCK_AHEAD
    store.save(alice.id, key, ProgressChange(4, 40, 600, client_time=ahead), T0)
    saved = store.save(alice.id, key, track(6), T0 + timedelta(seconds=1))
    assert (saved.page_number, saved.total_pages, saved.time_spent) == (6, 40, 600)
    assert saved.client_updated_at == ahead
    assert store.position(alice.id, key) == saved
    # Behind the stored page it holds, whatever the stored device time.
    assert store.save(alice.id, key, track(2), T0 + timedelta(seconds=2)) == saved


def test_a_cleared_position_counts_as_none_for_forward_only_changes(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "a.cbz")
    store.save(alice.id, key, ProgressChange(30, 40), T0)
    store.clear(alice.id, key, T0 + timedelta(seconds=1))
    saved = store.save(alice.id, key, track(2), T0 + timedelta(seconds=2))
    assert (saved.page_number, saved.total_pages, saved.cleared) == (2, None, False)
    assert store.position(alice.id, key) == saved
    assert [(i.kind, i.page_number) for i in feed(store, alice)] == [(ChangeKind.POSITION, 2)]


def test_a_forward_only_change_on_an_unindexed_path_follows_the_same_rule(
    store: ProgressStore, comics_library: Library, alice: User
) -> None:
    key = ComicKey(f"{comics_library.root}/not yet indexed.cbz")
    first = store.save(alice.id, key, track(8), T0)
    assert store.save(alice.id, key, track(7), T0 + timedelta(seconds=1)) == first
    assert store.save(alice.id, key, track(9), T0 + timedelta(seconds=2)).page_number == 9


def test_concurrent_forward_only_changes_never_move_a_position_back(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    key = key_of(library_index, comics_library, "shared.cbz")
    writers, pages = 6, 40
    start = threading.Barrier(writers + 1)
    done = threading.Event()
    failures: list[BaseException] = []
    seen: list[int] = []

    def writer(n: int) -> None:
        order = list(range(1, pages + 1))
        random.Random(n).shuffle(order)  # page requests arrive in any order
        try:
            start.wait()
            for page in order:
                result = store.save(alice.id, key, track(page), T0)
                # Either it moved the position to this page or the position was already on.
                assert result.page_number >= page
        except BaseException as exc:
            failures.append(exc)

    def reader() -> None:
        try:
            start.wait()
            while not done.is_set():
                found = store.position(alice.id, key)
                if found is not None:
                    seen.append(found.page_number)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    watcher = threading.Thread(target=reader)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()

    assert failures == []
    assert store.position(alice.id, key).page_number == pages  # type: ignore[union-attr]
    assert seen == sorted(seen)
    # Only writes that moved the position on reached the feed: one row, at its last change.
    (item,) = feed(store, alice)
    assert item.page_number == pages


# --- positions of many comics --------------------------------------------------------------------


def test_positions_reads_the_live_positions_of_the_comics_asked_for(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    read, cleared, untouched, others, hidden, moved = (
        key_of(library_index, comics_library, f"{name}.cbz")
        for name in ("read", "cleared", "untouched", "others", "hidden", "Incoming/moved")
    )
    ids = [k.comic_id or 0 for k in (read, cleared, untouched, others, hidden, moved)]
    store.save(alice.id, read, ProgressChange(3, 30, device=TABLET), T0)
    store.save(alice.id, cleared, ProgressChange(4), T0)
    store.clear(alice.id, cleared, T0)
    store.save(bob.id, others, ProgressChange(5), T0)
    # Kept by path while the comic was hidden from her: the comic's key finds it.
    store.save(alice.id, ComicKey(hidden.path), ProgressChange(6), T0)
    store.save(alice.id, moved, ProgressChange(7), T0)
    new_path = f"{comics_library.root}/Sorted/moved.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new_path),
        moved=[ComicMove(moved.comic_id or 0, entry(new_path))],
    )
    library_index.apply(comics_library.id, changes, T0)
    moved = ComicKey(new_path, moved.comic_id)

    found = positions(store, alice.id, [*ids, 987_654])
    assert set(found) == {read.comic_id, hidden.comic_id, moved.comic_id}
    for key in (read, hidden, moved):
        assert found[key.comic_id or 0] == store.position(alice.id, key)
    assert found[moved.comic_id or 0].path == new_path
    assert found[read.comic_id or 0].device == TABLET
    assert positions(store, bob.id, ids) == {others.comic_id: store.position(bob.id, others)}
    assert positions(store, alice.id, []) == {}
    assert positions(store, alice.id, [read.comic_id or 0] * 3) == {
        read.comic_id: found[read.comic_id or 0]
    }


def test_positions_prefers_the_comics_own_row_to_one_kept_at_its_path(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # Her row for the comic, cleared, moves with it; a row kept by path lands at its old path.
    key = key_of(library_index, comics_library, "Incoming/z.cbz")
    store.save(alice.id, key, ProgressChange(9), T0)
    store.clear(alice.id, key, T0)
    target = f"{comics_library.root}/Sorted/z.cbz"
    store.save(alice.id, ComicKey(target), ProgressChange(2), T0)
    changes = IndexChanges(
        folders=folders_for(comics_library, target),
        moved=[ComicMove(key.comic_id or 0, entry(target))],
    )
    library_index.apply(comics_library.id, changes, T0)
    position = store.position(alice.id, ComicKey(target, key.comic_id))
    assert position is not None and position.cleared
    assert positions(store, alice.id, [key.comic_id or 0]) == {}


def test_positions_of_more_comics_than_one_statement_takes(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    first, last = (key_of(library_index, comics_library, f"{n}.cbz") for n in ("first", "last"))
    for key in (first, last):
        store.save(alice.id, key, ProgressChange(2), T0)
    # Ids no comic has, ordered before the two so that these land in different statements.
    unknown = range(-1999, 0)
    found = positions(store, alice.id, [first.comic_id or 0, *unknown, last.comic_id or 0])
    assert {comic_id: p.page_number for comic_id, p in found.items()} == {
        first.comic_id: 2,
        last.comic_id: 2,
    }
