"""``ProgressService`` by comic id, as OPDS handlers call it, over the rows /api/v1 writes by
path: one store seen through both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.progress import Device, ProgressChange
from bagboard.services.progress import ProgressService
from tests.contract.test_library_index import add, entry

TABLET = Device("tablet-1", "Kobo")


class World:
    def __init__(self) -> None:
        self.clock = ManualClock()
        self.index = MemoryLibraryIndex()
        self.libraries = MemoryLibraryStore()
        self.comics = self.libraries.add("Comics", "/srv/comics")
        self.manga = self.libraries.add("Manga", "/srv/manga")
        self.service = ProgressService(
            MemoryProgressStore(self.index), self.index, self.libraries, self.clock
        )
        self.alice = User(1, "alice", Role.OWNER)
        # Bob may see the comics library only.
        self.bob = User(2, "bob", Role.READER, frozenset({self.comics.id}))

    def comic(self, library: Library, relative: str) -> int:
        path = f"{library.root}/{relative}"
        return add(self.index, library, entry(path))[path]


@pytest.fixture
def world() -> World:
    return World()


def test_a_position_saved_by_comic_id_is_the_one_its_path_names(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz")
    assert world.service.position_of(world.alice, comic_id) is None
    saved = world.service.save_comic(world.alice, comic_id, ProgressChange(4, 20, device=TABLET))
    assert (saved.path, saved.page_number, saved.device) == ("/srv/comics/a.cbz", 4, TABLET)
    assert saved.updated_at == world.clock.now()
    assert world.service.position(world.alice, "/srv/comics/a.cbz") == saved
    assert world.service.position_of(world.alice, comic_id) == saved

    world.clock.advance(timedelta(minutes=1))
    by_path = world.service.save(world.alice, "/srv/comics/a.cbz", ProgressChange(6))
    assert world.service.position_of(world.alice, comic_id) == by_path
    assert by_path.device is None
    assert world.service.position_of(world.bob, comic_id) is None  # each user their own


def test_forward_only_page_tracking_by_comic_id(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz")
    first = world.service.save_comic(world.alice, comic_id, ProgressChange(9, forward_only=True))
    world.clock.advance(timedelta(minutes=1))
    held = world.service.save_comic(world.alice, comic_id, ProgressChange(2, forward_only=True))
    assert held == first
    feed = world.service.since(world.alice)
    assert [item.page_number for item in feed.page.items] == [9]


def test_a_cleared_position_reads_as_none_by_comic_id(world: World) -> None:
    comic_id = world.comic(world.comics, "a.cbz")
    world.service.save_comic(world.alice, comic_id, ProgressChange(3))
    world.service.clear(world.alice, "/srv/comics/a.cbz")
    assert world.service.position_of(world.alice, comic_id) is None
    assert world.service.positions(world.alice, [comic_id]) == {}


def test_a_comic_gone_or_out_of_sight_is_comic_not_found(world: World) -> None:
    hidden = world.comic(world.manga, "m.cbz")
    gone = world.comic(world.comics, "gone.cbz")
    world.index.apply(world.comics.id, IndexChanges(removed_comics=[gone]), world.clock.now())
    for comic_id in (gone, 987_654):
        with pytest.raises(ComicNotFound):
            world.service.save_comic(world.alice, comic_id, ProgressChange(1))
        with pytest.raises(ComicNotFound):
            world.service.position_of(world.alice, comic_id)
    with pytest.raises(ComicNotFound):
        world.service.save_comic(world.bob, hidden, ProgressChange(1))
    with pytest.raises(ComicNotFound):
        world.service.position_of(world.bob, hidden)
    # Alice may see it; a disabled library hides it from her too.
    world.service.save_comic(world.alice, hidden, ProgressChange(1))
    world.libraries.set_enabled(world.manga.id, False)
    with pytest.raises(ComicNotFound):
        world.service.position_of(world.alice, hidden)


def test_positions_of_a_page_of_comics(world: World) -> None:
    read, unread, other = (world.comic(world.comics, f"{n}.cbz") for n in ("r", "u", "o"))
    saved = world.service.save_comic(world.alice, read, ProgressChange(7, device=TABLET))
    world.service.save_comic(world.bob, other, ProgressChange(2))
    assert world.service.positions(world.alice, [read, unread, other]) == {read: saved}
    assert world.service.positions(world.alice, []) == {}


class _NeverAtOnce(MemoryProgressStore):
    def writes_at_once(self) -> bool:
        return False


class _CountingIndex(MemoryLibraryIndex):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def place_at(self, path: str):  # type: ignore[no-untyped-def]
        self.lookups += 1
        return super().place_at(path)


def test_a_save_at_once_looks_nothing_up_where_the_store_never_writes_at_once(
    world: World,
) -> None:
    # On PostgreSQL a lookup on the event loop borrowed a pooled connection for the whole
    # request, while the write in its thread needed another one.
    index = _CountingIndex()
    path = "/srv/comics/a.cbz"
    add(index, world.comics, entry(path))
    never = ProgressService(_NeverAtOnce(index), index, world.libraries, world.clock)
    assert never.save_at_once(world.alice, path, ProgressChange(3)) is None
    assert index.lookups == 0
    always = ProgressService(MemoryProgressStore(index), index, world.libraries, world.clock)
    saved = always.save_at_once(world.alice, path, ProgressChange(3))
    assert saved is not None and saved.page_number == 3 and index.lookups == 1
