"""``ProgressStore.readings`` (what lists show of each comic), run against every adapter.

Users, libraries and comics are created through their own ports (the SQL rows refer to them
by foreign key), and comics move or leave through ``LibraryIndex.apply`` as a scan would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.storage import SqlProgressStore
from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.user_store import UserStore
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import add, entry, folders_for
from tests.progress_writes import key_of, mark_read, save_page, states

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
UNKNOWN = 987_654


@pytest.fixture
def reading(backend: Backend, library_index: LibraryIndex) -> ProgressStore:
    return backend.pick(lambda: MemoryProgressStore(library_index), SqlProgressStore)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def index_comics(index: LibraryIndex, library: Library, *relative: str) -> list[int]:
    paths = [f"{library.root}/{r}" for r in relative]
    ids = add(index, library, *(entry(path) for path in paths))
    return [ids[path] for path in paths]


def test_comics_never_touched_are_left_out(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    ids = index_comics(library_index, comics_library, "a.cbz", "b.cbz")
    assert states(reading, alice.id, ids) == {}
    assert states(reading, alice.id, []) == {}


def test_a_saved_page_and_a_read_mark_show_in_the_state(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    paged, read, both = index_comics(library_index, comics_library, "a.cbz", "b.cbz", "c.cbz")
    save_page(reading, library_index, alice.id, paged, 12, T0)
    mark_read(reading, library_index, alice.id, read, T0)
    save_page(reading, library_index, alice.id, both, 3, T0)
    mark_read(reading, library_index, alice.id, both, T0)

    assert states(reading, alice.id, [paged, read, both]) == {
        paged: ReadingState(last_page=12, is_read=False),
        read: ReadingState(last_page=None, is_read=True),
        both: ReadingState(last_page=3, is_read=True),
    }
    assert states(reading, alice.id, [paged])[paged].has_progress
    assert not states(reading, alice.id, [read])[read].has_progress


def test_saving_again_replaces_the_page_and_marking_again_changes_nothing(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    (comic,) = index_comics(library_index, comics_library, "a.cbz")
    save_page(reading, library_index, alice.id, comic, 5, T0)
    save_page(reading, library_index, alice.id, comic, 0, T0 + timedelta(minutes=1))
    mark_read(reading, library_index, alice.id, comic, T0)
    mark_read(reading, library_index, alice.id, comic, T0 + timedelta(minutes=2))
    assert states(reading, alice.id, [comic]) == {comic: ReadingState(last_page=0, is_read=True)}


def test_many_comics_in_one_call_unknown_and_repeated_ids_included(
    reading: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
    alice: User,
) -> None:
    comics = index_comics(library_index, comics_library, *(f"c {n}.cbz" for n in range(120)))
    manga = index_comics(library_index, manga_library, *(f"m {n}.cbz" for n in range(120)))
    expected: dict[int, ReadingState] = {}
    for n, comic_id in enumerate(comics + manga):
        if n % 3 == 0:
            save_page(reading, library_index, alice.id, comic_id, n, T0)
            expected[comic_id] = ReadingState(last_page=n)
        if n % 4 == 0:
            mark_read(reading, library_index, alice.id, comic_id, T0)
            expected[comic_id] = ReadingState(
                expected.get(comic_id, ReadingState()).last_page, True
            )

    asked = [*comics, *manga, UNKNOWN, comics[0], -1]
    assert states(reading, alice.id, asked) == expected
    # Beyond any single statement's parameter budget: still every answer.
    assert states(reading, alice.id, [*range(UNKNOWN, UNKNOWN + 2500), *comics]) == {
        comic_id: state for comic_id, state in expected.items() if comic_id in comics
    }


@pytest.mark.parametrize("count", [10, 50, 150])
def test_a_list_asked_again_shows_every_change_since(
    reading: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
    count: int,
) -> None:
    # Lists (a page of one, whole series) may be answered from memory: only while nothing
    # changed.
    comics = index_comics(library_index, comics_library, *(f"s {n}.cbz" for n in range(count)))
    first, second = comics[0], comics[1]
    assert states(reading, alice.id, comics) == {}
    save_page(reading, library_index, alice.id, first, 3, T0)
    assert states(reading, alice.id, comics) == {first: ReadingState(last_page=3)}
    # A write dated earlier than the last one still shows.
    mark_read(reading, library_index, alice.id, second, T0 - timedelta(days=1))
    assert states(reading, alice.id, comics) == {
        first: ReadingState(last_page=3),
        second: ReadingState(is_read=True),
    }
    reading.set_read(alice.id, key_of(library_index, second), False, T0)
    reading.clear(alice.id, key_of(library_index, first), T0)
    assert states(reading, alice.id, comics) == {}
    # Another user's write is not this user's; this user's list asked again stays empty.
    save_page(reading, library_index, bob.id, first, 9, T0)
    assert states(reading, alice.id, comics) == {}
    assert states(reading, bob.id, list(reversed(comics))) == {first: ReadingState(last_page=9)}
    # An index write (a comic leaving) shows too.
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[first]), T0)
    assert states(reading, bob.id, comics) == {}


def test_each_user_has_their_own_states(
    reading: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    first, second = index_comics(library_index, comics_library, "a.cbz", "b.cbz")
    save_page(reading, library_index, alice.id, first, 4, T0)
    mark_read(reading, library_index, bob.id, first, T0)
    save_page(reading, library_index, bob.id, second, 9, T0)

    assert states(reading, alice.id, [first, second]) == {first: ReadingState(last_page=4)}
    assert states(reading, bob.id, [first, second]) == {
        first: ReadingState(is_read=True),
        second: ReadingState(last_page=9),
    }


def test_a_moved_comic_keeps_its_state(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    (comic,) = index_comics(library_index, comics_library, "Incoming/x.cbz")
    save_page(reading, library_index, alice.id, comic, 7, T0)
    mark_read(reading, library_index, alice.id, comic, T0)
    new = f"{comics_library.root}/Marvel/x 001.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new), moved=[ComicMove(comic, entry(new))]
    )
    library_index.apply(comics_library.id, changes, T0)

    assert states(reading, alice.id, [comic]) == {comic: ReadingState(last_page=7, is_read=True)}
    save_page(reading, library_index, alice.id, comic, 8, T0 + timedelta(minutes=1))
    assert states(reading, alice.id, [comic]) == {comic: ReadingState(last_page=8, is_read=True)}


def test_a_comic_that_left_the_index_has_no_state_and_takes_no_writes(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    gone, kept = index_comics(library_index, comics_library, "gone.cbz", "kept.cbz")
    for comic in (gone, kept):
        save_page(reading, library_index, alice.id, comic, 2, T0)
        mark_read(reading, library_index, alice.id, comic, T0)
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[gone]), T0)

    assert states(reading, alice.id, [gone, kept]) == {kept: ReadingState(2, True)}
    for comic_id in (gone, UNKNOWN):
        with pytest.raises(ComicNotFound):
            save_page(reading, library_index, alice.id, comic_id, 1, T0)
        with pytest.raises(ComicNotFound):
            mark_read(reading, library_index, alice.id, comic_id, T0)
    assert states(reading, alice.id, [gone, kept, UNKNOWN]) == {kept: ReadingState(2, True)}


def test_a_comic_indexed_again_at_the_same_path_takes_the_state_left_there(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # A rebuild: the comic leaves the index and comes back under a new id.
    (old,) = index_comics(library_index, comics_library, "x.cbz")
    save_page(reading, library_index, alice.id, old, 30, T0)
    mark_read(reading, library_index, alice.id, old, T0)
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[old]), T0)
    assert states(reading, alice.id, [old]) == {}
    (new,) = index_comics(library_index, comics_library, "x.cbz")
    assert new != old

    assert states(reading, alice.id, [old, new]) == {new: ReadingState(30, True)}
    save_page(reading, library_index, alice.id, new, 2, T0 + timedelta(hours=1))
    assert states(reading, alice.id, [old, new]) == {new: ReadingState(2, True)}


def test_a_comic_may_take_the_path_another_one_left(
    reading: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # a -> b, then the comic at b -> c, then a new comic at a: three rows, three comics.
    first, second = index_comics(library_index, comics_library, "s/a.cbz", "s/b.cbz")
    for page, comic in enumerate((first, second), start=1):
        save_page(reading, library_index, alice.id, comic, page, T0)
        mark_read(reading, library_index, alice.id, comic, T0)
    for comic, target in ((second, "s/c.cbz"), (first, "s/b.cbz")):
        new = f"{comics_library.root}/{target}"
        library_index.apply(
            comics_library.id, IndexChanges(moved=[ComicMove(comic, entry(new))]), T0
        )
    (third,) = index_comics(library_index, comics_library, "s/a.cbz")
    save_page(reading, library_index, alice.id, third, 3, T0)
    mark_read(reading, library_index, alice.id, third, T0)

    assert states(reading, alice.id, [first, second, third]) == {
        first: ReadingState(1, True),
        second: ReadingState(2, True),
        third: ReadingState(3, True),
    }


def test_touched_lists_the_comics_a_user_has_read_or_started_in_some_libraries(
    reading: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
    alice: User,
    bob: User,
) -> None:
    comics = index_comics(library_index, comics_library, *(f"t {n}.cbz" for n in range(8)))
    (manga,) = index_comics(library_index, manga_library, "m.cbz")
    assert reading.touched(alice.id, [comics_library.id, manga_library.id]) == []
    save_page(reading, library_index, alice.id, comics[1], 4, T0)
    mark_read(reading, library_index, alice.id, comics[5], T0)
    mark_read(reading, library_index, alice.id, manga, T0)
    save_page(reading, library_index, alice.id, comics[6], 2, T0)
    reading.clear(alice.id, key_of(library_index, comics[6]), T0)
    mark_read(reading, library_index, alice.id, comics[7], T0)
    reading.set_read(alice.id, key_of(library_index, comics[7]), False, T0)
    save_page(reading, library_index, bob.id, comics[2], 1, T0)

    both = [comics_library.id, manga_library.id]
    assert reading.touched(alice.id, both) == sorted([comics[1], comics[5], manga])
    assert reading.touched(alice.id, [comics_library.id]) == [comics[1], comics[5]]
    assert reading.touched(alice.id, []) == []
    assert reading.touched(bob.id, both) == [comics[2]]
    # Everything ``readings`` finds is touched, among every comic of the libraries.
    assert set(reading.readings(alice.id, [*comics, manga])) <= set(reading.touched(alice.id, both))
    # A comic indexed again at the path a position was kept at is touched under its new id.
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[comics[1]]), T0)
    assert reading.touched(alice.id, both) == sorted([comics[5], manga])
    (again,) = index_comics(library_index, comics_library, "t 1.cbz")
    assert again in reading.touched(alice.id, both)
    assert again in reading.readings(alice.id, [again])
