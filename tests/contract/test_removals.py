"""Removing a library or a user, across the stores that hold their rows (every backend).

In SQL the schema's cascades do the work; the memory stores are wired to follow one another as
``bootstrap`` wires them. Either way: a library takes its index, its shelf entries and users'
grants of it, and leaves reading positions and read marks keyed by path, for its comics to take
back when indexed there again; a user takes its tokens, shelves and reading state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.memory.shelves import MemoryShelves
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage import (
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlProgressStore,
    SqlShelves,
    SqlTokenStore,
    SqlUserStore,
)
from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ComicKey, ProgressChange
from bagboard.domain.shelves import Shelf, ShelfItem, ShelfKind
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.shelves import Shelves
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore
from tests.contract.conftest import Backend
from tests.contract.test_library_index import add, entry, folders_for

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ALL = PageRequest(1, 200)


@dataclass
class Stores:
    libraries: LibraryStore
    users: UserStore
    tokens: TokenStore
    index: LibraryIndex
    progress: ProgressStore
    shelves: Shelves


def _memory() -> Stores:
    index = MemoryLibraryIndex()
    progress, shelves, tokens = MemoryProgressStore(index), MemoryShelves(index), MemoryTokenStore()
    users = MemoryUserStore(tokens, shelves, progress)
    libraries = MemoryLibraryStore(progress, shelves, users, index)
    return Stores(libraries, users, tokens, index, progress, shelves)


def _sql(engine: Engine) -> Stores:
    return Stores(
        SqlLibraryStore(engine),
        SqlUserStore(engine),
        SqlTokenStore(engine),
        SqlLibraryIndex(engine),
        SqlProgressStore(engine),
        SqlShelves(engine),
    )


@pytest.fixture
def stores(backend: Backend) -> Stores:
    return backend.pick(_memory, _sql)


@dataclass
class World:
    stores: Stores
    comics: Library
    manga: Library
    alice: User  # sees everything
    kid: User  # limited to comics

    def index(self, library: Library, *relative: str) -> dict[str, int]:
        paths = [f"{library.root}/{r}" for r in relative]
        ids = add(self.stores.index, library, *(entry(path) for path in paths))
        return {r: ids[p] for r, p in zip(relative, paths, strict=True)}


@pytest.fixture
def world(stores: Stores) -> World:
    comics = stores.libraries.add("Comics", "/srv/comics")
    manga = stores.libraries.add("Manga", "/srv/manga")
    alice = stores.users.add("alice", Role.OWNER)
    kid = stores.users.add("kid", Role.READER, [comics.id, manga.id])
    return World(stores, comics, manga, alice, kid)


def _read(stores: Stores, user: User, path: str, page: int) -> None:
    place = stores.index.place_at(path)
    key = ComicKey(path, None if place is None else place.id)
    stores.progress.save(user.id, key, ProgressChange(page_number=page), T0)
    stores.progress.set_read(user.id, key, True, T0 + timedelta(seconds=1))


def test_a_removed_library_takes_its_index_and_leaves_the_others(world: World) -> None:
    s = world.stores
    comic_ids = world.index(world.comics, "A/a.cbz", "A/b.cbz")
    manga_ids = world.index(world.manga, "M/m.cbz")
    s.libraries.remove(world.comics.id)
    snapshot = s.index.snapshot(world.comics.id)
    assert (snapshot.folders, snapshot.comics) == ({}, {})
    assert all(s.index.comic(cid) is None for cid in comic_ids.values())
    assert s.index.comic_at("/srv/comics/A/a.cbz") is None
    kept = s.index.comic(manga_ids["M/m.cbz"])
    assert kept is not None and kept.library_id == world.manga.id
    assert set(s.index.snapshot(world.manga.id).comics) == {"/srv/manga/M/m.cbz"}


def test_a_removed_library_leaves_every_allowance(world: World) -> None:
    s = world.stores
    only = s.users.add("only", Role.READER, [world.comics.id])
    s.libraries.remove(world.comics.id)
    assert s.users.get(world.kid.id) == User(
        world.kid.id, "kid", Role.READER, frozenset({world.manga.id})
    )
    assert s.users.get(only.id) == User(only.id, "only", Role.READER, frozenset())
    assert s.users.get(world.alice.id) == world.alice


def test_positions_and_marks_stay_by_path_and_come_back_with_the_folder(world: World) -> None:
    s = world.stores
    path = "/srv/comics/A/a.cbz"
    world.index(world.comics, "A/a.cbz")
    _read(s, world.alice, path, 7)
    s.libraries.remove(world.comics.id)
    # Kept by path while nothing is indexed there.
    kept = s.progress.position(world.alice.id, ComicKey(path))
    assert kept is not None and kept.page_number == 7
    # The folder added back and indexed: the new comic takes them over.
    again = s.libraries.add("Comics", "/srv/comics")
    new_id = world.index(again, "A/a.cbz")["A/a.cbz"]
    found = s.progress.position(world.alice.id, ComicKey(path, new_id))
    assert found is not None and found.page_number == 7
    reading = s.progress.readings(world.alice.id, [new_id])[new_id]
    assert reading.is_read and reading.last_page == 7


def test_rows_follow_a_comic_moved_since_they_were_written(world: World) -> None:
    s = world.stores
    old, new = "/srv/comics/A/a.cbz", "/srv/comics/B/a.cbz"
    comic_id = world.index(world.comics, "A/a.cbz")["A/a.cbz"]
    _read(s, world.alice, old, 4)
    changes = IndexChanges(
        folders=folders_for(world.comics, "/srv/comics/B"),
        moved=[ComicMove(comic_id, entry(new))],
        removed_folders=["/srv/comics/A"],
    )
    s.index.apply(world.comics.id, changes, T0)
    s.libraries.remove(world.comics.id)
    again = s.libraries.add("Comics", "/srv/comics")
    new_id = world.index(again, "B/a.cbz")["B/a.cbz"]
    found = s.progress.position(world.alice.id, ComicKey(new, new_id))
    assert found is not None and found.page_number == 4
    assert s.progress.readings(world.alice.id, [new_id])[new_id].is_read


def test_shelf_entries_in_a_removed_library_go_with_it(world: World) -> None:
    s = world.stores
    ids = world.index(world.comics, "A/a.cbz")
    manga_ids = world.index(world.manga, "M/m.cbz")
    a, m = "/srv/comics/A/a.cbz", "/srv/manga/M/m.cbz"
    file_a = ShelfItem(ShelfKind.FILE, a, world.comics.id, ids["A/a.cbz"])
    file_m = ShelfItem(ShelfKind.FILE, m, world.manga.id, manga_ids["M/m.cbz"])
    folder = ShelfItem(ShelfKind.FOLDER, "/srv/comics/A", world.comics.id)
    for item in (file_a, file_m, folder):
        s.shelves.add(world.alice.id, Shelf.TO_READ, item, T0)
    s.libraries.remove(world.comics.id)
    again = s.libraries.add("Comics", "/srv/comics")
    world.index(again, "A/a.cbz")
    every = [world.manga.id, again.id, world.comics.id]
    listed = s.shelves.list(world.alice.id, Shelf.TO_READ, every, ALL)
    assert [entry.path for entry in listed.items] == [m]


def test_a_removed_user_takes_its_tokens_shelves_and_reading_state(world: World) -> None:
    s = world.stores
    ids = world.index(world.comics, "A/a.cbz")
    path = "/srv/comics/A/a.cbz"
    for user in (world.alice, world.kid):
        s.tokens.add(user.id, "phone", f"{user.id:064x}", T0)
        _read(s, user, path, 3)
        item = ShelfItem(ShelfKind.FILE, path, world.comics.id, ids["A/a.cbz"])
        s.shelves.add(user.id, Shelf.FAVORITES, item, T0)
    assert s.users.remove(world.kid.id) == world.kid
    assert s.tokens.list(world.kid.id) == []
    assert s.tokens.find_by_hash(f"{world.kid.id:064x}") is None
    key = ComicKey(path, ids["A/a.cbz"])
    assert s.progress.position(world.kid.id, key) is None
    assert s.progress.readings(world.kid.id, [ids["A/a.cbz"]]) == {}
    libraries = [world.comics.id]
    assert s.shelves.list(world.kid.id, Shelf.FAVORITES, libraries, ALL).total == 0
    # Everyone else's is untouched.
    assert [t.user_id for t in s.tokens.list()] == [world.alice.id]
    alice_position = s.progress.position(world.alice.id, key)
    assert alice_position is not None and alice_position.page_number == 3
    assert s.shelves.list(world.alice.id, Shelf.FAVORITES, libraries, ALL).total == 1
