"""``ProgressStore.keep_reading``, run against every adapter: the comics a user has started
and not finished, most recently read first.

Positions are saved, cleared and marked through the same store (see ``test_progress_store``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bagboard.domain.browse import ComicRow
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.model import Library, User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import ComicKey
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.progress_store import ProgressStore
from tests.contract import index_fixtures, test_progress_store
from tests.contract.test_library_index import entry, folders_for
from tests.contract.test_progress_readings import T0, alice, bob, index_comics
from tests.progress_writes import mark_read, save_page

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library
store = test_progress_store.store
alice = alice  # re-exported fixtures
bob = bob

ALL = PageRequest(1, 200)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def names(page: Page[ComicRow]) -> list[str]:
    return [comic.name for comic in page.items]


@pytest.fixture
def started(
    store: ProgressStore,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
    alice: User,
) -> dict[str, int]:
    """Alice started a, b, c (read since) and m, in that order; d she never opened."""
    ids = dict(
        zip(
            "abcd",
            index_comics(library_index, comics_library, "a.cbz", "b.cbz", "c.cbz", "d.cbz"),
            strict=True,
        )
    )
    (ids["m"],) = index_comics(library_index, manga_library, "m.cbz")
    for n, name in enumerate("abcm"):
        save_page(store, library_index, alice.id, ids[name], n + 1, T0 + minutes(n))
    mark_read(store, library_index, alice.id, ids["c"], T0 + minutes(9))
    mark_read(store, library_index, alice.id, ids["d"], T0 + minutes(9))
    return ids


def test_started_unread_comics_of_the_libraries_newest_first(
    store: ProgressStore, started: dict[str, int], alice: User, bob: User
) -> None:
    page = store.keep_reading(alice.id, [1], ALL)
    assert (names(page), page.total) == (["b.cbz", "a.cbz"], 2)
    first = page.items[0]
    assert (first.id, first.library_id, first.path) == (started["b"], 1, "/srv/comics/b.cbz")
    assert names(store.keep_reading(alice.id, [1, 2], ALL)) == ["m.cbz", "b.cbz", "a.cbz"]
    assert names(store.keep_reading(alice.id, [2], ALL)) == ["m.cbz"]
    assert store.keep_reading(alice.id, (), ALL) == Page([], 0, ALL)
    assert store.keep_reading(bob.id, [1, 2], ALL).total == 0


def test_keep_reading_pages(store: ProgressStore, started: dict[str, int], alice: User) -> None:
    pages = [store.keep_reading(alice.id, [1, 2], PageRequest(n, 2)) for n in (1, 2, 3)]
    assert [names(page) for page in pages] == [["m.cbz", "b.cbz"], ["a.cbz"], []]
    assert {page.total for page in pages} == {3}
    assert (pages[0].has_more, pages[1].has_more) == (True, False)


def test_reading_again_clearing_and_unmarking_reorder_the_list(
    store: ProgressStore,
    library_index: LibraryIndex,
    started: dict[str, int],
    comics_library: Library,
    alice: User,
) -> None:
    save_page(store, library_index, alice.id, started["a"], 7, T0 + minutes(20))
    assert names(store.keep_reading(alice.id, [1], ALL)) == ["a.cbz", "b.cbz"]
    store.clear(alice.id, ComicKey(f"{comics_library.root}/a.cbz", started["a"]), T0 + minutes(21))
    assert names(store.keep_reading(alice.id, [1], ALL)) == ["b.cbz"]
    c_key = ComicKey(f"{comics_library.root}/c.cbz", started["c"])
    store.set_read(alice.id, c_key, False, T0 + minutes(22))
    # Unmarked, c is started again, at the time of its position.
    assert names(store.keep_reading(alice.id, [1], ALL)) == ["c.cbz", "b.cbz"]
    mark_read(store, library_index, alice.id, started["b"], T0 + minutes(23))
    assert names(store.keep_reading(alice.id, [1], ALL)) == ["c.cbz"]


def test_equal_times_list_the_larger_id_first(
    store: ProgressStore, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    ids = index_comics(library_index, comics_library, "x.cbz", "y.cbz", "z.cbz")
    for comic_id in ids:
        save_page(store, library_index, alice.id, comic_id, 1, T0)
    assert [c.id for c in store.keep_reading(alice.id, [1], ALL).items] == sorted(ids)[::-1]


def test_moved_comics_stay_and_removed_ones_leave(
    store: ProgressStore,
    library_index: LibraryIndex,
    started: dict[str, int],
    comics_library: Library,
    alice: User,
) -> None:
    new = f"{comics_library.root}/Moved/a 001.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new),
        moved=[ComicMove(started["a"], entry(new))],
        removed_comics=[started["b"]],
    )
    library_index.apply(comics_library.id, changes, T0)
    page = store.keep_reading(alice.id, [1], ALL)
    assert [(c.id, c.path) for c in page.items] == [(started["a"], new)]
