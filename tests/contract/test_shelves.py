"""The Shelves contract, run against every adapter.

Users, libraries and comics are created through their own ports (the SQL shelves refer to
them by foreign key), and comics move or leave through ``LibraryIndex.apply`` as a scan would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.shelves import MemoryShelves
from bagboard.adapters.storage import SqlShelves
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.shelves import Shelf, ShelfItem, ShelfKind
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.shelves import Shelves
from bagboard.ports.user_store import UserStore
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import add, entry, folders_for

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ALL = PageRequest(1, 200)
BOTH_LIBRARIES = [lib.id for lib in index_fixtures.LIBRARIES]


@pytest.fixture
def shelves(backend: Backend, library_index: LibraryIndex) -> Shelves:
    return backend.pick(lambda: MemoryShelves(library_index), SqlShelves)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def folder(library: Library, *parts: str) -> ShelfItem:
    return ShelfItem(ShelfKind.FOLDER, "/".join((library.root, *parts)), library.id)


def comic(index: LibraryIndex, library: Library, relative: str) -> ShelfItem:
    """Index a comic at ``relative`` below the library root; the shelf item for it."""
    path = f"{library.root}/{relative}"
    comic_id = add(index, library, entry(path))[path]
    return ShelfItem(ShelfKind.FILE, path, library.id, comic_id)


def listed(
    shelves: Shelves, user: User, shelf: Shelf, libraries: list[int] | None = None
) -> list[tuple[str, datetime]]:
    page = shelves.list(user.id, shelf, BOTH_LIBRARIES if libraries is None else libraries, ALL)
    assert page.total == len(page.items)
    return [(e.path, e.created_at) for e in page.items]


def move(index: LibraryIndex, library: Library, item: ShelfItem, relative: str) -> str:
    new = f"{library.root}/{relative}"
    assert item.comic_id is not None
    changes = IndexChanges(
        folders=folders_for(library, new), moved=[ComicMove(item.comic_id, entry(new))]
    )
    index.apply(library.id, changes, T0)
    return new


def test_an_empty_shelf_lists_nothing(shelves: Shelves, alice: User) -> None:
    page = shelves.list(alice.id, Shelf.TO_READ, BOTH_LIBRARIES, ALL)
    assert (list(page.items), page.total, page.total_pages) == ([], 0, 0)


def test_entries_carry_their_kind_path_time_and_comic(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    issue = comic(library_index, comics_library, "Marvel/X-Men/x 001.cbz")
    series = folder(comics_library, "Marvel", "X-Men")
    shelves.add(alice.id, Shelf.TO_READ, series, T0)
    shelves.add(alice.id, Shelf.TO_READ, issue, T0 + timedelta(seconds=1))

    entries = shelves.list(alice.id, Shelf.TO_READ, BOTH_LIBRARIES, ALL).items
    assert [(e.kind, e.path, e.created_at, e.comic_id, e.name) for e in entries] == [
        (ShelfKind.FILE, issue.path, T0 + timedelta(seconds=1), issue.comic_id, "x 001.cbz"),
        (ShelfKind.FOLDER, series.path, T0, None, "X-Men"),
    ]
    assert len({e.id for e in entries}) == 2


def test_adding_again_keeps_the_first_time(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    issue = comic(library_index, comics_library, "Marvel/x 001.cbz")
    marvel = folder(comics_library, "Marvel")
    for shelf in Shelf:
        shelves.add(alice.id, shelf, marvel, T0)
        shelves.add(alice.id, shelf, issue, T0)
        shelves.add(alice.id, shelf, marvel, T0 + timedelta(hours=1))
        shelves.add(alice.id, shelf, issue, T0 + timedelta(hours=2))
        assert sorted(listed(shelves, alice, shelf)) == [(marvel.path, T0), (issue.path, T0)]


def test_remove_takes_the_entry_off_and_is_idempotent(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    issue = comic(library_index, comics_library, "Marvel/x 001.cbz")
    marvel = folder(comics_library, "Marvel")
    shelves.add(alice.id, Shelf.TO_READ, marvel, T0)
    shelves.add(alice.id, Shelf.TO_READ, issue, T0)

    shelves.remove(alice.id, Shelf.TO_READ, issue.path)
    shelves.remove(alice.id, Shelf.TO_READ, issue.path)
    shelves.remove(alice.id, Shelf.TO_READ, f"{comics_library.root}/never/added")
    shelves.remove(alice.id, Shelf.FAVORITES, marvel.path)  # another shelf: untouched
    assert listed(shelves, alice, Shelf.TO_READ) == [(marvel.path, T0)]

    shelves.add(alice.id, Shelf.TO_READ, issue, T0 + timedelta(days=1))
    assert (issue.path, T0 + timedelta(days=1)) in listed(shelves, alice, Shelf.TO_READ)


def test_each_user_and_each_shelf_is_separate(
    shelves: Shelves, comics_library: Library, alice: User, bob: User
) -> None:
    marvel, dc = folder(comics_library, "Marvel"), folder(comics_library, "DC")
    shelves.add(alice.id, Shelf.FAVORITES, marvel, T0)
    shelves.add(bob.id, Shelf.FAVORITES, marvel, T0 + timedelta(hours=1))
    shelves.add(bob.id, Shelf.TO_READ, dc, T0)

    shelves.remove(bob.id, Shelf.FAVORITES, marvel.path)
    assert listed(shelves, alice, Shelf.FAVORITES) == [(marvel.path, T0)]
    assert listed(shelves, alice, Shelf.TO_READ) == []
    assert listed(shelves, bob, Shelf.FAVORITES) == []
    assert listed(shelves, bob, Shelf.TO_READ) == [(dc.path, T0)]


def test_only_entries_in_the_given_libraries_are_listed(
    shelves: Shelves,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
    alice: User,
) -> None:
    marvel = folder(comics_library, "Marvel")
    akira = comic(library_index, manga_library, "Kodansha/Akira/akira 01.cbz")
    shelves.add(alice.id, Shelf.TO_READ, marvel, T0)
    shelves.add(alice.id, Shelf.TO_READ, akira, T0)

    assert listed(shelves, alice, Shelf.TO_READ, [comics_library.id]) == [(marvel.path, T0)]
    assert listed(shelves, alice, Shelf.TO_READ, [manga_library.id]) == [(akira.path, T0)]
    assert len(listed(shelves, alice, Shelf.TO_READ, BOTH_LIBRARIES)) == 2
    assert listed(shelves, alice, Shelf.TO_READ, []) == []


def test_favorites_are_in_natural_case_insensitive_name_order(
    shelves: Shelves, comics_library: Library, alice: User
) -> None:
    names = ["issue 10", "Beta", "Issue 2", "alpha", "2000 AD", "beta", "Issue 1"]
    for offset, name in enumerate(names):
        at = T0 - timedelta(minutes=offset)  # newest first would be another order
        shelves.add(alice.id, Shelf.FAVORITES, folder(comics_library, "Publishers", name), at)

    entries = shelves.list(alice.id, Shelf.FAVORITES, BOTH_LIBRARIES, ALL).items
    # "Beta" and "beta" compare equal; the earlier entry (lower id) comes first.
    expected = ["2000 AD", "alpha", "Beta", "beta", "Issue 1", "Issue 2", "issue 10"]
    assert [e.name for e in entries] == expected


def test_to_read_is_newest_first_with_ties_by_id(
    shelves: Shelves, comics_library: Library, alice: User
) -> None:
    times = {"a": T0, "b": T0 + timedelta(hours=2), "c": T0 + timedelta(hours=1), "d": T0}
    for name, at in times.items():
        shelves.add(alice.id, Shelf.TO_READ, folder(comics_library, name), at)

    entries = shelves.list(alice.id, Shelf.TO_READ, BOTH_LIBRARIES, ALL).items
    assert [e.name for e in entries] == ["b", "c", "d", "a"]
    assert entries[2].id > entries[3].id


@pytest.mark.parametrize("shelf", list(Shelf))
def test_pages_split_the_list_without_overlap(
    shelves: Shelves, comics_library: Library, alice: User, shelf: Shelf
) -> None:
    for n in range(7):
        shelves.add(alice.id, shelf, folder(comics_library, f"folder {n}"), T0)
    whole = [e.id for e in shelves.list(alice.id, shelf, BOTH_LIBRARIES, ALL).items]

    pages = [shelves.list(alice.id, shelf, BOTH_LIBRARIES, PageRequest(n, 3)) for n in (1, 2, 3)]
    assert [page.total for page in pages] == [7, 7, 7]
    assert [len(page.items) for page in pages] == [3, 3, 1]
    assert [e.id for page in pages for e in page.items] == whole
    assert [page.has_more for page in pages] == [True, True, False]
    past = shelves.list(alice.id, shelf, BOTH_LIBRARIES, PageRequest(4, 3))
    assert (list(past.items), past.total) == ([], 7)


def test_a_moved_comic_is_listed_at_its_new_path_and_removable_there(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    issue = comic(library_index, comics_library, "Incoming/x 001.cbz")
    shelves.add(alice.id, Shelf.TO_READ, issue, T0)
    new = move(library_index, comics_library, issue, "Marvel/X-Men/x 001.cbz")

    entries = shelves.list(alice.id, Shelf.TO_READ, BOTH_LIBRARIES, ALL).items
    assert [(e.path, e.comic_id, e.created_at) for e in entries] == [(new, issue.comic_id, T0)]
    # Adding it again where it is now is still the same entry.
    at_new_path = ShelfItem(ShelfKind.FILE, new, issue.library_id, issue.comic_id)
    shelves.add(alice.id, Shelf.TO_READ, at_new_path, T0 + timedelta(days=1))
    assert listed(shelves, alice, Shelf.TO_READ) == [(new, T0)]

    # The path it was added under (a client's stale copy of the list) matches it too.
    shelves.remove(alice.id, Shelf.TO_READ, issue.path)
    assert listed(shelves, alice, Shelf.TO_READ) == []
    shelves.add(alice.id, Shelf.TO_READ, at_new_path, T0)
    shelves.remove(alice.id, Shelf.TO_READ, new)
    assert listed(shelves, alice, Shelf.TO_READ) == []


def test_a_renamed_favorite_sorts_under_its_new_name(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    first = comic(library_index, comics_library, "a/b first.cbz")
    second = comic(library_index, comics_library, "a/c second.cbz")
    shelves.add(alice.id, Shelf.FAVORITES, first, T0)
    shelves.add(alice.id, Shelf.FAVORITES, second, T0)
    renamed = move(library_index, comics_library, first, "a/d renamed.cbz")

    assert [p for p, _ in listed(shelves, alice, Shelf.FAVORITES)] == [second.path, renamed]


def test_a_new_comic_may_take_the_path_a_shelved_comic_left(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    old = comic(library_index, comics_library, "Marvel/x 001.cbz")
    shelves.add(alice.id, Shelf.TO_READ, old, T0)
    moved_to = move(library_index, comics_library, old, "Marvel/x 001 (old scan).cbz")
    new = comic(library_index, comics_library, "Marvel/x 001.cbz")
    shelves.add(alice.id, Shelf.TO_READ, new, T0 + timedelta(hours=1))

    assert listed(shelves, alice, Shelf.TO_READ) == [
        (new.path, T0 + timedelta(hours=1)),
        (moved_to, T0),
    ]
    shelves.remove(alice.id, Shelf.TO_READ, new.path)
    assert listed(shelves, alice, Shelf.TO_READ) == [(moved_to, T0)]


def test_a_chain_of_moves_frees_every_path_it_passes(
    shelves: Shelves, library_index: LibraryIndex, comics_library: Library, alice: User
) -> None:
    # a -> b, then the comic at b -> c: both stored paths are stale when a new comic takes a.
    first = comic(library_index, comics_library, "s/a.cbz")
    shelves.add(alice.id, Shelf.TO_READ, first, T0)
    second = comic(library_index, comics_library, "s/b.cbz")
    shelves.add(alice.id, Shelf.TO_READ, second, T0 + timedelta(hours=1))
    c = move(library_index, comics_library, second, "s/c.cbz")
    b = move(library_index, comics_library, first, "s/b.cbz")
    third = comic(library_index, comics_library, "s/a.cbz")
    shelves.add(alice.id, Shelf.TO_READ, third, T0 + timedelta(hours=2))

    assert [p for p, _ in listed(shelves, alice, Shelf.TO_READ)] == [third.path, c, b]
    shelves.remove(alice.id, Shelf.TO_READ, b)
    assert [p for p, _ in listed(shelves, alice, Shelf.TO_READ)] == [third.path, c]


def test_a_comic_that_left_the_index_leaves_every_shelf(
    shelves: Shelves,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    gone = comic(library_index, comics_library, "Marvel/gone.cbz")
    kept = comic(library_index, comics_library, "Marvel/kept.cbz")
    for user in (alice, bob):
        for shelf in Shelf:
            shelves.add(user.id, shelf, gone, T0)
            shelves.add(user.id, shelf, kept, T0)
    assert gone.comic_id is not None
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[gone.comic_id]), T0)

    for user in (alice, bob):
        for shelf in Shelf:
            assert listed(shelves, user, shelf) == [(kept.path, T0)]
    with pytest.raises(ComicNotFound):
        shelves.add(alice.id, Shelf.TO_READ, gone, T0)
    assert listed(shelves, alice, Shelf.TO_READ) == [(kept.path, T0)]
