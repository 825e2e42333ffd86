"""``SeriesProgressService`` over the real progress stores (memory, SQLite, PostgreSQL): what a
Komga client writes is the position ``/api/v1`` (``ProgressService`` by path) and OPDS (by
comic id) read, and the other way round; deletes leave the sync feed's tombstones."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.storage import SqlProgressStore
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import Library, Role, User
from bagboard.domain.progress import Device, ProgressChange, StaleProgress
from bagboard.domain.progress_feed import ChangeKind
from bagboard.domain.series_progress import BookProgress, PageWrite, ReadCounts, TachiyomiV2
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.user_store import UserStore
from bagboard.services.progress import ProgressService
from bagboard.services.series_progress import NumberedComic, SeriesProgressService
from tests.contract import conftest as contract
from tests.contract import index_fixtures
from tests.contract.test_library_index import add, entry

# The contract suites' fixtures: one test per backend, all stores on one database.
backend = contract.backend
user_store = contract.user_store
library_store = contract.library_store
library_index = index_fixtures.library_index

PHONE = Device("token-7", "Pixel")
PAGES = 20


class World:
    def __init__(self, progress: ProgressService, index: LibraryIndex, library: Library) -> None:
        self.clock = ManualClock()
        self.progress = progress
        self.series = SeriesProgressService(progress)
        self.index = index
        self.library = library

    def comics(self, *names: str, pages: int = PAGES) -> list[IndexedComic]:
        paths = [f"{self.library.root}/Saga/{name}.cbz" for name in names]
        found = add(self.index, self.library, *(replace(entry(p), page_count=pages) for p in paths))
        comics = [self.index.comic(found[path]) for path in paths]
        assert all(comic is not None for comic in comics)
        return [comic for comic in comics if comic is not None]

    def tick(self) -> None:
        self.clock.advance(timedelta(minutes=1))

    def state(self, user: User, comic: IndexedComic) -> tuple[int | None, bool]:
        """What /api/v1 shows: the position's page at the comic's path and its read mark."""
        position = self.progress.position(user, comic.path)
        reading = self.progress.readings(user, [comic.id]).get(comic.id)
        return (
            None if position is None else position.page_number,
            reading is not None and reading.is_read,
        )


@pytest.fixture
def alice(user_store: UserStore) -> User:
    return user_store.add("alice", Role.OWNER)


@pytest.fixture
def bob(user_store: UserStore) -> User:
    return user_store.add("bob", Role.READER)


@pytest.fixture
def world(
    backend: contract.Backend, library_index: LibraryIndex, library_store: LibraryStore
) -> World:
    store = backend.pick(lambda: MemoryProgressStore(library_index), SqlProgressStore)
    clock = ManualClock()
    world = World(
        ProgressService(store, library_index, library_store, clock),
        library_index,
        index_fixtures.LIBRARIES[0],
    )
    world.clock = clock
    return world


def numbered(comics: list[IndexedComic], numbers: list[float]) -> list[NumberedComic]:
    return [NumberedComic(comic, number) for comic, number in zip(comics, numbers, strict=True)]


def test_a_komga_page_is_the_api_page_and_the_opds_page(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    assert world.series.patch_book(alice, comic, 7, None, device=PHONE) == PageWrite(7, False)

    by_path = world.progress.position(alice, comic.path)
    assert by_path is not None
    assert (by_path.page_number, by_path.total_pages, by_path.device) == (7, PAGES, PHONE)
    assert by_path.updated_at == world.clock.now()
    assert world.progress.position_of(alice, comic.id) == by_path  # OPDS names it by id
    assert world.state(alice, comic) == (7, False)


def test_an_api_position_and_mark_are_what_komga_shows(world: World, alice: User) -> None:
    first, second, third = world.comics("Saga 001", "Saga 002", "Saga 003")
    world.progress.mark_read(alice, first.path)  # the mark also puts the last page
    marked = world.progress.position(alice, first.path)
    saved = world.progress.save(alice, second.path, ProgressChange(page_number=12))

    shown = world.series.progress_of(alice, [first, second, third])
    assert marked is not None
    assert shown[first.id] == BookProgress(PAGES, True, marked.updated_at, None)
    assert shown[second.id] == BookProgress(12, False, saved.updated_at, None)
    assert shown[third.id] is None
    assert world.series.counts(alice, [first, second, third]) == ReadCounts(1, 1, 1)
    state = world.series.tachiyomi_v2(alice, numbered([first, second, third], [1, 2, 3]))
    assert state == TachiyomiV2(ReadCounts(1, 1, 1), 1.0, 3.0)


def test_patch_on_the_last_page_marks_read(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    assert world.series.patch_book(alice, comic, PAGES, None) == PageWrite(PAGES, True)
    assert world.state(alice, comic) == (PAGES, True)
    assert world.series.progress_of(alice, [comic])[comic.id] == BookProgress(
        PAGES, True, world.clock.now(), None
    )


def test_patch_completed_then_a_page_reads_it_again(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    world.progress.save(alice, comic.path, ProgressChange(page_number=3))
    world.tick()
    world.series.patch_book(alice, comic, None, True)
    assert world.state(alice, comic) == (PAGES, True)
    world.tick()
    world.series.patch_book(alice, comic, 2, None)
    assert world.state(alice, comic) == (2, False)


def test_a_refused_patch_writes_nothing(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    world.progress.save(alice, comic.path, ProgressChange(page_number=4))
    before = world.progress.since(alice).page.total
    for page, completed in ((None, None), (PAGES + 1, None), (0, None), (None, False)):
        with pytest.raises(InvalidInput):
            world.series.patch_book(alice, comic, page, completed)
    assert world.state(alice, comic) == (4, False)
    assert world.progress.since(alice).page.total == before


def test_delete_clears_position_and_mark_and_leaves_tombstones(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    world.series.patch_book(alice, comic, None, True)
    world.tick()
    cursor = world.progress.since(alice).next_cursor.encode()
    world.tick()
    world.series.clear_book(alice, comic)

    assert world.state(alice, comic) == (None, False)
    assert world.series.progress_of(alice, [comic])[comic.id] is None
    later = world.progress.since(alice, cursor=cursor).page.items
    assert [(item.kind, item.path) for item in later] == [
        (ChangeKind.CLEARED, comic.path),
        (ChangeKind.UNREAD, comic.path),
    ]


def test_a_komga_write_beats_an_older_conditional_api_write(world: World, alice: User) -> None:
    (comic,) = world.comics("Saga 001")
    before = int(world.clock.now().timestamp()) - 1  # more than the clock tolerance older
    world.tick()
    world.series.patch_book(alice, comic, 9, None)
    with pytest.raises(StaleProgress):
        world.progress.save(alice, comic.path, ProgressChange(page_number=2, client_time=before))
    assert world.state(alice, comic) == (9, False)


def test_a_device_clock_a_little_behind_a_komga_write_still_applies(
    world: World, alice: User
) -> None:
    (comic,) = world.comics("Saga 001")
    world.series.patch_book(alice, comic, 9, None, device=PHONE)
    komga_time = int(world.clock.now().timestamp())
    lagging = ProgressChange(page_number=10, client_time=komga_time - 30)
    assert world.progress.save(alice, comic.path, lagging).client_updated_at == komga_time - 30
    assert world.state(alice, comic) == (10, False)


def test_tracker_put_marks_up_to_the_number_with_gaps_and_never_unmarks(
    world: World, alice: User
) -> None:
    comics = world.comics("Saga 001", "Saga 002", "Saga 005", "Saga 009", "Saga 012")
    books = numbered(comics, [1, 2, 5, 9, 12])
    world.progress.mark_read(alice, comics[4].path)  # read ahead, out of order
    world.progress.save(alice, comics[1].path, ProgressChange(page_number=6))
    marked_at = world.progress.since(alice).page.items[0].cursor
    world.tick()

    assert world.series.put_tachiyomi_v2(alice, books, 5.0, device=PHONE) == 3
    assert [world.state(alice, c) for c in comics] == [
        (PAGES, True),
        (PAGES, True),
        (PAGES, True),
        (None, False),
        (PAGES, True),
    ]
    assert world.series.tachiyomi_v2(alice, books) == TachiyomiV2(ReadCounts(4, 0, 1), 5.0, 12.0)
    # A lower value later changes nothing: no unmarking, no new writes.
    total = world.progress.since(alice).page.total
    assert world.series.put_tachiyomi_v2(alice, books, 1.0) == 0
    assert world.progress.since(alice).page.total == total
    assert world.progress.since(alice).page.items[0].cursor == marked_at
    assert world.series.tachiyomi_v2(alice, books).counts.read == 4


def test_tracker_put_on_a_read_list_marks_the_first_books(world: World, alice: User) -> None:
    first, second, third = world.comics("Saga 003", "Saga 001", "Saga 002")
    listed = [first, second, third]  # list order, not number order
    assert world.series.tachiyomi_v1(alice, listed).last_read_continuous_index == 0
    assert world.series.put_tachiyomi_v1(alice, listed, 2) == 2
    state = world.series.tachiyomi_v1(alice, listed)
    assert (state.counts, state.last_read_continuous_index) == (ReadCounts(2, 0, 1), 2)
    assert world.state(alice, third) == (None, False)
    with pytest.raises(InvalidInput):
        world.series.put_tachiyomi_v1(alice, listed, -1)


def test_mark_all_read_then_unread(world: World, alice: User, bob: User) -> None:
    comics = world.comics("Saga 001", "Saga 002", "Saga 003")
    world.progress.mark_read(alice, comics[0].path)
    world.progress.save(alice, comics[1].path, ProgressChange(page_number=5))
    world.progress.save(bob, comics[2].path, ProgressChange(page_number=8))

    assert world.series.mark_all(alice, comics, True) == 2
    assert world.series.counts(alice, comics) == ReadCounts(3, 0, 0)
    assert world.state(alice, comics[1]) == (PAGES, True)
    assert world.state(alice, comics[0]) == (PAGES, True)
    marked = world.progress.position(alice, comics[0].path)
    assert marked is not None and marked.device is None  # already read: left as it was

    world.tick()
    assert world.series.mark_all(alice, comics, False) == 3
    assert world.series.counts(alice, comics) == ReadCounts(0, 0, 3)
    assert [world.state(alice, c) for c in comics] == [(None, False)] * 3
    assert world.state(bob, comics[2]) == (8, False)  # each user their own
    assert world.series.counts_by(bob, {"saga": comics, "none": []}) == {
        "saga": ReadCounts(0, 1, 2),
        "none": ReadCounts(0, 0, 0),
    }


def test_a_book_without_pages_is_marked_read_without_a_position(world: World, alice: User) -> None:
    (empty,) = world.comics("Broken", pages=0)
    world.series.patch_book(alice, empty, None, True)
    assert world.state(alice, empty) == (None, True)
    with pytest.raises(InvalidInput):
        world.series.patch_book(alice, empty, 1, None)
