"""The ReadingLists contract, run against every adapter.

Users and comics are created through their own ports (the SQL lists refer to them by foreign
key), and comics move or leave through ``LibraryIndex.apply`` as a scan would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.reading_lists import MemoryReadingLists
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage import (
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlReadingLists,
    SqlUserStore,
)
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.errors import ComicNotFound, UserNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.readlists import ListBook, ReadingList, ReadingListEntry
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.reading_lists import ReadingLists
from bagboard.ports.user_store import UserStore
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import add, entry, folders_for

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library

T0 = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
T1 = T0 + timedelta(hours=2)
ALL = PageRequest(1, 200)


@pytest.fixture
def reading_lists(
    backend: Backend, user_store: UserStore, library_index: LibraryIndex
) -> ReadingLists:
    return backend.pick(lambda: MemoryReadingLists(user_store, library_index), SqlReadingLists)


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


def book(
    series: str,
    number: str,
    *,
    volume: str | None = None,
    year: int | None = None,
    database_ids: tuple[tuple[str, str, str], ...] = (),
) -> ListBook:
    return ListBook(series, number, volume, year, database_ids)


def index_comic(index: LibraryIndex, library: Library, relative: str) -> int:
    path = f"{library.root}/{relative}"
    return add(index, library, entry(path))[path]


def all_entries(lists: ReadingLists, list_id: int) -> list[ReadingListEntry]:
    page = lists.entries(list_id, ALL)
    assert page.total == len(page.items)
    return list(page.items)


def links(lists: ReadingLists, list_id: int) -> list[int | None]:
    return [e.comic_id for e in all_entries(lists, list_id)]


def test_a_saved_list_keeps_its_books_in_order(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    first = index_comic(library_index, comics_library, "Marvel/Civil War 001.cbz")
    tagged = book(
        "Civil War",
        "1",
        volume="2006",
        year=2006,
        database_ids=(("cv", "18023", "105923"), ("metron", "1", "2")),
    )
    saved = reading_lists.save(
        alice.id,
        "Civil War (2006)",
        "The event",
        [(tagged, first), (book("Amazing Spider-Man", "532"), None)],
        T0,
    )
    assert saved == ReadingList(saved.id, "Civil War (2006)", "The event", alice.id, T0, T0, 2, 1)
    assert saved.created_at == T0 and saved.updated_at == T0
    assert reading_lists.get(saved.id) == saved
    assert all_entries(reading_lists, saved.id) == [
        ReadingListEntry(1, tagged, first),
        ReadingListEntry(2, book("Amazing Spider-Man", "532"), None),
    ]


def test_an_empty_list_is_a_list(reading_lists: ReadingLists, alice: User) -> None:
    saved = reading_lists.save(alice.id, "Later", "", [], T0)
    assert (saved.entries, saved.resolved) == (0, 0)
    assert reading_lists.lists(alice.id) == [saved]
    assert reading_lists.entries(saved.id, ALL).total == 0


def test_a_reimport_replaces_the_list_in_place(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    comic = index_comic(library_index, comics_library, "Marvel/Civil War 001.cbz")
    old = [(book("Civil War", str(n)), None) for n in range(1, 8)]
    first = reading_lists.save(alice.id, "Civil War (2006)", "old summary", old, T0)
    new = [(book("Civil War", "1"), comic), (book("Front Line", "1"), None)]
    # The same name as browsing groups it: any case, any spacing.
    again = reading_lists.save(alice.id, "  civil   WAR (2006) ", "new summary", new, T1)
    assert (again.id, again.created_at, again.updated_at) == (first.id, T0, T1)
    assert (again.summary, again.entries, again.resolved) == ("new summary", 2, 1)
    assert reading_lists.lists(alice.id) == [again]
    assert reading_lists.get(first.id) == again
    assert all_entries(reading_lists, first.id) == [
        ReadingListEntry(1, book("Civil War", "1"), comic),
        ReadingListEntry(2, book("Front Line", "1"), None),
    ]
    assert [(list_id, e.position) for list_id, e in reading_lists.unresolved()] == [(first.id, 2)]


def test_owners_keep_their_own_list_of_a_name(
    reading_lists: ReadingLists, alice: User, bob: User
) -> None:
    books = [(book("Secret Wars", "1"), None)]
    mine = reading_lists.save(alice.id, "Secret Wars", "", books, T0)
    theirs = reading_lists.save(bob.id, "Secret Wars", "", books, T0)
    shared = reading_lists.save(None, "Secret Wars", "", books, T0)
    shared_again = reading_lists.save(None, "SECRET WARS", "again", books, T1)
    assert len({mine.id, theirs.id, shared.id}) == 3
    assert shared_again.id == shared.id and shared_again.summary == "again"
    assert len(reading_lists.lists(None)) == 3


def test_a_user_sees_their_own_lists_and_the_shared_ones(
    reading_lists: ReadingLists, alice: User, bob: User
) -> None:
    zeta = reading_lists.save(alice.id, "Zeta", "", [], T0)
    alpha = reading_lists.save(None, "alpha", "", [], T0)
    beta = reading_lists.save(bob.id, "Beta", "", [], T0)
    shared_beta = reading_lists.save(None, "beta", "", [], T0)
    own_beta = reading_lists.save(alice.id, "BETA", "", [], T0)
    # By name key, compared by code point everywhere; equal keys by id.
    assert [r.id for r in reading_lists.lists(alice.id)] == [
        alpha.id,
        shared_beta.id,
        own_beta.id,
        zeta.id,
    ]
    assert [r.id for r in reading_lists.lists(bob.id)] == [alpha.id, beta.id, shared_beta.id]
    assert [r.id for r in reading_lists.lists(None)] == [
        alpha.id,
        beta.id,
        shared_beta.id,
        own_beta.id,
        zeta.id,
    ]
    assert reading_lists.lists(999_999) == [alpha, shared_beta]


def test_entries_come_a_page_at_a_time(reading_lists: ReadingLists, alice: User) -> None:
    books = [(book("Crisis", str(n)), None) for n in range(1, 8)]
    saved = reading_lists.save(alice.id, "Crisis", "", books, T0)
    pages = [reading_lists.entries(saved.id, PageRequest(n, 3)) for n in (1, 2, 3, 4)]
    assert [[e.position for e in page.items] for page in pages] == [[1, 2, 3], [4, 5, 6], [7], []]
    assert {page.total for page in pages} == {7}
    assert [e.book.number for e in pages[1].items] == ["4", "5", "6"]
    unknown = reading_lists.entries(999_999, ALL)
    assert (list(unknown.items), unknown.total) == ([], 0)


def test_remove_takes_the_list_and_its_entries(reading_lists: ReadingLists, alice: User) -> None:
    gone = reading_lists.save(alice.id, "Gone", "", [(book("A", "1"), None)], T0)
    kept = reading_lists.save(alice.id, "Kept", "", [(book("B", "1"), None)], T0)
    assert reading_lists.remove(gone.id) is True
    assert reading_lists.remove(gone.id) is False
    assert reading_lists.get(gone.id) is None
    assert reading_lists.entries(gone.id, ALL).total == 0
    assert reading_lists.lists(alice.id) == [kept]
    assert [list_id for list_id, _ in reading_lists.unresolved()] == [kept.id]
    # The name is free again: a new list, not the removed one back.
    back = reading_lists.save(alice.id, "Gone", "", [], T1)
    assert back.id not in (gone.id, kept.id) and back.created_at == T1


def test_a_removed_user_takes_their_lists(
    reading_lists: ReadingLists, user_store: UserStore, alice: User, bob: User
) -> None:
    books = [(book("House of M", "1"), None)]
    hers = reading_lists.save(alice.id, "Mine", "", books, T0)
    his = reading_lists.save(bob.id, "Mine", "", books, T0)
    shared = reading_lists.save(None, "Everyone", "", books, T0)
    user_store.remove(alice.id)
    assert reading_lists.get(hers.id) is None
    assert reading_lists.lists(None) == [shared, his]
    assert [list_id for list_id, _ in reading_lists.unresolved()] == [his.id, shared.id]


def test_a_list_for_an_unknown_user_is_refused(reading_lists: ReadingLists) -> None:
    with pytest.raises(UserNotFound):
        reading_lists.save(999_999, "Nobody's", "", [(book("A", "1"), None)], T0)
    assert reading_lists.lists(None) == []


def test_unresolved_entries_resolve_one_by_one(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    found = index_comic(library_index, comics_library, "DC/Crisis 002.cbz")
    later = index_comic(library_index, comics_library, "DC/Crisis 003.cbz")
    first = reading_lists.save(
        alice.id,
        "Crisis",
        "",
        [(book("Crisis", "1"), None), (book("Crisis", "2"), found), (book("Crisis", "3"), None)],
        T0,
    )
    second = reading_lists.save(None, "Also", "", [(book("Other", "9"), None)], T0)
    assert [(list_id, e.position, e.book.series) for list_id, e in reading_lists.unresolved()] == [
        (first.id, 1, "Crisis"),
        (first.id, 3, "Crisis"),
        (second.id, 1, "Other"),
    ]
    reading_lists.resolve(first.id, 3, later)
    assert links(reading_lists, first.id) == [None, found, later]
    header = reading_lists.get(first.id)
    assert header is not None and (header.entries, header.resolved) == (3, 2)
    assert header.updated_at == T0
    assert [(list_id, e.position) for list_id, e in reading_lists.unresolved()] == [
        (first.id, 1),
        (second.id, 1),
    ]
    reading_lists.resolve(first.id, 99, later)  # no such position: nothing changes
    assert links(reading_lists, first.id) == [None, found, later]


def test_linked_pages_the_comics_of_some_libraries_in_list_order_each_once(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    manga = index_fixtures.LIBRARIES[1]
    third = index_comic(library_index, comics_library, "DC/Crisis 003.cbz")
    first = index_comic(library_index, comics_library, "DC/Crisis 001.cbz")
    elsewhere = index_comic(library_index, manga, "Manga/Crisis 002.cbz")
    books = [
        (book("Crisis", "1"), first),
        (book("Crisis", "2"), elsewhere),
        (book("Crisis", "2.5"), None),
        (book("Crisis", "3"), third),
        (book("Crisis", "1"), first),  # named twice: shown at its first place only
    ]
    saved = reading_lists.save(alice.id, "Crisis", "", books, T0)

    both = reading_lists.linked(saved.id, [comics_library.id, manga.id], ALL)
    assert [row.id for row in both.items] == [first, elsewhere, third]
    assert both.total == 3
    assert both.items[0].path == f"{comics_library.root}/DC/Crisis 001.cbz"
    assert both.items[0].name == "Crisis 001.cbz"

    one = reading_lists.linked(saved.id, [comics_library.id], ALL)
    assert [row.id for row in one.items] == [first, third]
    second_page = reading_lists.linked(saved.id, [comics_library.id], PageRequest(2, 1))
    assert ([row.id for row in second_page.items], second_page.total) == ([third], 2)
    assert reading_lists.linked(saved.id, [], ALL).total == 0
    assert reading_lists.linked(999_999, [comics_library.id], ALL).total == 0


def test_linked_ids_and_counts_read_many_lists_as_linked_pages_each(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    manga = index_fixtures.LIBRARIES[1]
    third = index_comic(library_index, comics_library, "DC/Crisis 003.cbz")
    first = index_comic(library_index, comics_library, "DC/Crisis 001.cbz")
    elsewhere = index_comic(library_index, manga, "Manga/Crisis 002.cbz")
    crisis = reading_lists.save(
        alice.id,
        "Crisis",
        "",
        [
            (book("Crisis", "2.5"), None),  # unresolved: the first linked comic comes after
            (book("Crisis", "2"), elsewhere),
            (book("Crisis", "3"), third),
            (book("Crisis", "1"), first),
            (book("Crisis", "3"), third),  # named twice: counted once, at its first place
        ],
        T0,
    )
    manga_only = reading_lists.save(None, "Manga", "", [(book("Crisis", "2"), elsewhere)], T0)
    unresolved = reading_lists.save(bob.id, "Later", "", [(book("Crisis", "9"), None)], T0)
    empty = reading_lists.save(bob.id, "Empty", "", [], T0)
    every = [crisis.id, manga_only.id, unresolved.id, empty.id, 999_999]
    both = [comics_library.id, manga.id]

    assert reading_lists.linked_ids(every, both) == {
        crisis.id: [elsewhere, third, first],
        manga_only.id: [elsewhere],
    }
    assert reading_lists.linked_counts(every, both) == {
        crisis.id: (3, elsewhere),
        manga_only.id: (1, elsewhere),
    }
    # Other libraries' comics are left out, and a list with none left goes.
    assert reading_lists.linked_ids(every, [comics_library.id]) == {crisis.id: [third, first]}
    assert reading_lists.linked_counts(every, [comics_library.id]) == {crisis.id: (2, third)}
    for list_id in every:
        page = reading_lists.linked(list_id, [comics_library.id], ALL)
        ids = reading_lists.linked_ids([list_id], [comics_library.id]).get(list_id, [])
        assert [row.id for row in page.items] == ids
    assert reading_lists.linked_ids(every, []) == {}
    assert reading_lists.linked_counts(every, []) == {}
    assert reading_lists.linked_ids([], both) == {}
    assert reading_lists.linked_counts([], both) == {}


def test_linked_ids_and_counts_follow_the_index(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    gone = index_comic(library_index, comics_library, "Marvel/gone.cbz")
    kept = index_comic(library_index, comics_library, "Marvel/kept.cbz")
    saved = reading_lists.save(
        alice.id, "Mine", "", [(book("Gone", "1"), gone), (book("Kept", "1"), kept)], T0
    )
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[gone]), T1)
    assert reading_lists.linked_ids([saved.id], [comics_library.id]) == {saved.id: [kept]}
    assert reading_lists.linked_counts([saved.id], [comics_library.id]) == {saved.id: (1, kept)}


def test_linked_ids_and_counts_take_more_lists_than_one_statement_holds(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    comic = index_comic(library_index, comics_library, "Marvel/one.cbz")
    saved = [
        reading_lists.save(alice.id, f"List {n}", "", [(book("One", "1"), comic)], T0).id
        for n in range(501)
    ]
    assert reading_lists.linked_ids(saved, [comics_library.id]) == {i: [comic] for i in saved}
    counts = reading_lists.linked_counts(saved, [comics_library.id])
    assert counts == {i: (1, comic) for i in saved}


def test_containing_names_every_list_linking_to_a_comic(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
    bob: User,
) -> None:
    first = index_comic(library_index, comics_library, "DC/Crisis 001.cbz")
    second = index_comic(library_index, comics_library, "DC/Crisis 002.cbz")
    alone = index_comic(library_index, comics_library, "DC/Alone 001.cbz")
    twice = [(book("Crisis", "1"), first), (book("Crisis", "1"), first)]
    bobs = reading_lists.save(bob.id, "Bob's", "", twice, T0)
    shared = reading_lists.save(None, "Shared", "", [(book("Crisis", "2"), second)], T0)
    alices = reading_lists.save(
        alice.id, "Alice's", "", [(book("Crisis", "2"), second), (book("Crisis", "1"), first)], T0
    )
    reading_lists.save(alice.id, "Unresolved", "", [(book("Crisis", "3"), None)], T0)

    assert reading_lists.containing(first) == sorted([bobs.id, alices.id])
    assert reading_lists.containing(second) == sorted([shared.id, alices.id])
    assert reading_lists.containing(alone) == []
    assert reading_lists.containing_any([first, second, alone, first]) == sorted(
        [bobs.id, shared.id, alices.id]
    )
    assert reading_lists.containing_any([second]) == sorted([shared.id, alices.id])
    assert reading_lists.containing_any([alone, 999_999]) == []
    assert reading_lists.containing_any([]) == []
    # More comics than one statement takes: the last of them still counts.
    many = [-n for n in range(1, 601)] + [second]  # sorted, it comes last
    assert reading_lists.containing_any(many) == sorted([shared.id, alices.id])


def test_a_comic_leaving_the_index_unresolves_its_entries(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    gone = index_comic(library_index, comics_library, "Marvel/gone.cbz")
    moved = index_comic(library_index, comics_library, "Marvel/moved.cbz")
    books = [(book("Gone", "1"), gone), (book("Moved", "1"), moved)]
    mine = reading_lists.save(alice.id, "Mine", "", books, T0)
    shared = reading_lists.save(None, "Shared", "", books[:1], T0)
    new_path = f"{comics_library.root}/Elsewhere/moved.cbz"
    changes = IndexChanges(
        folders=folders_for(comics_library, new_path),
        moved=[ComicMove(moved, entry(new_path))],
        removed_comics=[gone],
    )
    library_index.apply(comics_library.id, changes, T1)

    # A moved comic keeps its id, and so its entries.
    assert links(reading_lists, mine.id) == [None, moved]
    assert links(reading_lists, shared.id) == [None]
    header = reading_lists.get(mine.id)
    assert header is not None and (header.entries, header.resolved) == (2, 1)
    assert [(list_id, e.book.series) for list_id, e in reading_lists.unresolved()] == [
        (mine.id, "Gone"),
        (shared.id, "Gone"),
    ]
    with pytest.raises(ComicNotFound):
        reading_lists.resolve(mine.id, 1, gone)
    reading_lists.resolve(mine.id, 99, gone)  # no such entry: nothing to refuse
    reading_lists.resolve(999_999, 1, gone)
    assert links(reading_lists, mine.id) == [None, moved]


def test_a_comic_gone_before_the_save_leaves_its_entry_unresolved(
    reading_lists: ReadingLists,
    library_index: LibraryIndex,
    comics_library: Library,
    alice: User,
) -> None:
    gone = index_comic(library_index, comics_library, "Marvel/gone.cbz")
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[gone]), T0)
    saved = reading_lists.save(alice.id, "Late", "", [(book("Gone", "1"), gone)], T0)
    assert (saved.entries, saved.resolved) == (1, 0)
    assert links(reading_lists, saved.id) == [None]


def test_long_and_unicode_names_round_trip(reading_lists: ReadingLists, alice: User) -> None:
    name = "Ærger på « Été » — 漫画の読み順 🦇 " + "x" * 2000
    summary = "Résumé\nmit Umlauten: äöü, RTL: עברית, emoji: 🕷️\u200d" + "y" * 10_000
    series = "\uff33\uff50ider-Man 2099 (fullwidth) ✦ " + "z" * 1000
    entries = [(book(series, "½", volume="Ⅱ", year=2099), None)]
    saved = reading_lists.save(alice.id, name, summary, entries, T0)
    assert (saved.name, saved.summary) == (name, summary)
    assert all_entries(reading_lists, saved.id) == [ReadingListEntry(1, entries[0][0], None)]
    # Unicode case folds to one key: the same list again.
    again = reading_lists.save(alice.id, name.upper(), "", entries, T1)
    assert again.id == saved.id and again.name == name.upper()
    # Keys order by code point: "a…" before "z…" before "æ…".
    zebra = reading_lists.save(alice.id, "zebra", "", [], T0)
    apple = reading_lists.save(alice.id, "Apple", "", [], T0)
    assert [r.id for r in reading_lists.lists(alice.id)] == [apple.id, zebra.id, saved.id]


def _memory_world() -> tuple[LibraryStore, LibraryIndex, UserStore, ReadingLists]:
    """The memory stores wired as ``bootstrap`` wires them: the library store tells the index
    of a removed library, and the lists see its comics gone."""
    index = MemoryLibraryIndex()
    users = MemoryUserStore()
    return MemoryLibraryStore(users, index), index, users, MemoryReadingLists(users, index)


def test_a_removed_library_unresolves_the_entries_of_its_comics(backend: Backend) -> None:
    libraries, index, users, lists = backend.pick(
        _memory_world,
        lambda engine: (
            SqlLibraryStore(engine),
            SqlLibraryIndex(engine),
            SqlUserStore(engine),
            SqlReadingLists(engine),
        ),
    )
    comics, manga = libraries.add("Comics", "/srv/comics"), libraries.add("Manga", "/srv/manga")
    alice = users.add("alice", Role.OWNER)
    gone = index_comic(index, comics, "Marvel/gone.cbz")
    kept = index_comic(index, manga, "Akira/kept.cbz")
    saved = lists.save(alice.id, "Mixed", "", [(book("A", "1"), gone), (book("B", "1"), kept)], T0)
    libraries.remove(comics.id)
    assert links(lists, saved.id) == [None, kept]
    header = lists.get(saved.id)
    assert header is not None and (header.entries, header.resolved) == (2, 1)
