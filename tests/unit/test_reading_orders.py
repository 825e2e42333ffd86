"""``ReadingOrderService`` over real scanned archives, on the memory adapters and SQLite:
reading lists as comic lists, their comics in list order and scope, the lists holding a comic,
"continue reading" and "on deck"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress import ProgressChange
from bagboard.domain.readlists import ListBook, ParsedList
from bagboard.library import ComicLibrary
from bagboard.services.reading_orders import ListKind, ReadingOrderService, list_ref, parse_ref
from tests.readlist_support import comic, write_world

ALL = PageRequest(1, 200)
CW1 = ListBook("Civil War", "1", "2006", 2006)
CW2 = ListBook("Civil War", "2", "2006", 2006)
SECRET = ListBook("Secret Wars", "1", None, 1984)
MISSING = ListBook("Nobody Reads This", "7")


@dataclass
class World:
    app: ComicLibrary
    owner: User
    kid: User
    marvel: Library
    secret: Library

    @property
    def orders(self) -> ReadingOrderService:
        return self.app.reading_orders

    def comic(self, library: Library, relative: str) -> IndexedComic:
        found: IndexedComic | None = self.app.container.library_index().comic_at(
            f"{library.root}/{relative}"
        )
        assert found is not None, relative
        return found

    def read(self, user: User, comic: IndexedComic) -> None:
        self.app.progress.set_read_in(user, comic, True)

    def start(self, user: User, comic: IndexedComic, page: int = 1) -> None:
        self.app.progress.save_in(user, comic, ProgressChange(page_number=page))

    def import_list(self, user: User, *books: ListBook, name: str = "Event") -> int:
        report = self.app.reading_lists.import_list(
            user, ParsedList(name, "", books), shared=user.role is Role.OWNER
        )
        return report.reading_list.id


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    marvel_root, secret_root = write_world(tmp_path)
    comic(marvel_root, "Civil War/Civil War 003.cbz", "Civil War", "3", "2006", "2006")
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path / "data")),
        memory=request.param == "memory",
        workers=0,
    )
    marvel = app.add_folder(marvel_root, "Marvel")
    secret = app.add_folder(secret_root, "Secret")
    app.scan()
    kid = app.accounts.add_user("kid", Role.READER, [marvel.id])
    yield World(app, app.accounts.owner(), kid, marvel, secret)
    app.close()


def test_refs_name_lists_and_arcs_apart() -> None:
    assert list_ref(ListKind.READING_LIST, 12) == "12"
    assert list_ref(ListKind.STORY_ARC, 12) == "arc-12"
    assert parse_ref("12") == (ListKind.READING_LIST, 12)
    assert parse_ref("arc-12") == (ListKind.STORY_ARC, 12)
    for bad in ("", "arc-", "-1", "1.5", "arc-x", "١٢", "9" * 19, "12 "):
        assert parse_ref(bad) is None, bad


def test_a_list_shows_its_visible_comics_in_order_each_once(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    list_id = world.import_list(world.owner, CW2, SECRET, MISSING, CW1, CW2)

    (seen,) = world.orders.reading_lists(world.owner)
    assert (seen.kind, seen.id, seen.ref, seen.name) == (
        ListKind.READING_LIST,
        list_id,
        str(list_id),
        "Event",
    )
    assert (seen.entries, seen.comics, seen.cover_comic_id) == (5, 3, cw2.id)
    assert seen.shared and seen.editable
    issues = world.orders.issues(world.owner, ListKind.READING_LIST, list_id, ALL)
    assert [item.comic.id for item in issues.items] == [cw2.id, secret.id, cw1.id]

    # The kid sees the shared list, without the comic of the library they may not see.
    (kids,) = world.orders.reading_lists(world.kid)
    assert (kids.comics, kids.editable) == (2, False)
    kid_issues = world.orders.issues(world.kid, ListKind.READING_LIST, list_id, ALL)
    assert [item.comic.id for item in kid_issues.items] == [cw2.id, cw1.id]
    second = world.orders.issues(world.kid, ListKind.READING_LIST, list_id, PageRequest(2, 1))
    assert ([i.comic.id for i in second.items], second.total) == ([cw1.id], 2)


def test_issues_carry_the_users_reading(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    list_id = world.import_list(world.owner, CW1, CW2)
    world.read(world.owner, cw1)
    world.start(world.owner, cw2, 1)

    items = world.orders.issues(world.owner, ListKind.READING_LIST, list_id, ALL).items
    assert [(i.reading.is_read, i.reading.last_page) for i in items] == [
        (True, cw1.page_count),
        (False, 1),
    ]


def test_a_list_of_someone_else_is_not_found(world: World) -> None:
    kids_list = world.import_list(world.kid, CW1, name="Mine")
    assert [v.id for v in world.orders.reading_lists(world.kid)] == [kids_list]
    assert world.orders.reading_lists(world.owner) == []
    with pytest.raises(NotFound):
        world.orders.get(world.owner, ListKind.READING_LIST, kids_list)
    with pytest.raises(NotFound):
        world.orders.issues(world.owner, ListKind.READING_LIST, kids_list, ALL)
    with pytest.raises(NotFound):
        world.orders.get(world.owner, ListKind.READING_LIST, 999_999)
    with pytest.raises(NotFound):
        world.orders.issues(world.owner, ListKind.STORY_ARC, 999_999, ALL)
    mine = world.orders.get(world.kid, ListKind.READING_LIST, kids_list)
    assert (mine.shared, mine.editable, mine.comics) == (False, True, 1)


def test_containing_names_the_lists_of_a_comic_the_user_may_see(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    shared = world.import_list(world.owner, CW1, SECRET, name="Zeta event")
    kids = world.import_list(world.kid, CW1, name="Alpha")

    assert [v.id for v in world.orders.containing(world.kid, cw1.id)] == [kids, shared]
    assert [v.id for v in world.orders.containing(world.owner, cw1.id)] == [shared]
    assert [v.id for v in world.orders.containing(world.owner, secret.id)] == [shared]
    # A comic of a library the kid may not see is in no list for the kid.
    assert world.orders.containing(world.kid, secret.id) == []
    assert world.orders.containing(world.owner, 999_999) == []


def test_continue_reading_lists_started_unfinished_comics_latest_first(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    world.start(world.owner, cw1)
    world.start(world.owner, secret)
    world.start(world.owner, cw2)
    world.read(world.owner, cw2)

    items = world.orders.continue_reading(world.owner, ALL).items
    assert [i.comic.id for i in items] == [secret.id, cw1.id]
    world.start(world.kid, secret)  # the kid may not see it: nothing
    assert world.orders.continue_reading(world.kid, ALL).total == 0


def test_on_deck_is_the_next_comic_of_each_series_and_list_in_progress(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    cw3 = world.comic(world.marvel, "Civil War/Civil War 003.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    assert world.orders.on_deck(world.owner, ALL).total == 0

    world.read(world.owner, cw1)
    assert [i.comic.id for i in world.orders.on_deck(world.owner, ALL).items] == [cw2.id]

    # A list read up to its first book puts its second one on deck too; the latest
    # activity first, each comic once.
    world.import_list(world.owner, CW2, SECRET, name="Crossover")
    world.read(world.owner, cw2)
    deck = world.orders.on_deck(world.owner, ALL)
    assert sorted(i.comic.id for i in deck.items) == sorted([cw3.id, secret.id])
    assert deck.total == 2

    # A series with a comic started and unfinished is in "continue reading" instead.
    world.start(world.owner, cw3)
    assert [i.comic.id for i in world.orders.on_deck(world.owner, ALL).items] == [secret.id]

    # Everything read: nothing left on deck.
    world.read(world.owner, cw3)
    world.read(world.owner, secret)
    assert world.orders.on_deck(world.owner, ALL).total == 0


def test_on_deck_pages_and_keeps_to_the_users_libraries(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    world.read(world.kid, cw1)
    world.import_list(world.owner, CW1, SECRET, name="Shared")
    kids = world.orders.on_deck(world.kid, ALL)
    # The shared list's next comic is in a library the kid may not see.
    assert [i.comic.path.rsplit("/", 1)[1] for i in kids.items] == ["Civil War 002.cbz"]
    page_two = world.orders.on_deck(world.kid, PageRequest(2, 1))
    assert (page_two.items, page_two.total) == ([], 1)


def test_every_list_is_counted_and_covered_from_what_the_user_may_see(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    event = world.import_list(world.owner, MISSING, CW2, CW1, CW2, name="Event")
    hidden = world.import_list(world.owner, SECRET, MISSING, name="Only secret")
    kids = world.import_list(world.kid, CW1, name="Kid's own")

    def seen(user: User) -> dict[int, tuple[int, int, int | None]]:
        return {
            view.id: (view.entries, view.comics, view.cover_comic_id)
            for view in world.orders.reading_lists(user)
        }

    assert seen(world.owner) == {event: (4, 2, cw2.id), hidden: (2, 1, secret.id)}
    assert seen(world.kid) == {event: (4, 2, cw2.id), kids: (1, 1, cw1.id), hidden: (2, 0, None)}
    one = world.orders.get(world.kid, ListKind.READING_LIST, hidden)
    assert (one.entries, one.comics, one.cover_comic_id) == (2, 0, None)


def test_on_deck_takes_a_list_from_its_first_unread_comic(world: World) -> None:
    cw1 = world.comic(world.marvel, "Civil War/Civil War 001.cbz")
    cw2 = world.comic(world.marvel, "Civil War/Civil War 002.cbz")
    secret = world.comic(world.secret, "Secret Wars/Secret Wars 001.cbz")
    world.import_list(world.owner, CW2, SECRET, CW1, name="Backwards")
    world.import_list(world.owner, MISSING, name="Nothing indexed")

    # Secret Wars is read to its end; the list goes on with its first comic not read.
    world.read(world.owner, secret)
    assert [i.comic.id for i in world.orders.on_deck(world.owner, ALL).items] == [cw2.id]

    # A comic of the list started and unfinished: the list is in "continue reading".
    world.start(world.owner, cw1)
    assert world.orders.on_deck(world.owner, ALL).total == 0
    world.read(world.owner, cw1)
    deck = world.orders.on_deck(world.owner, ALL).items
    assert [(i.comic.id, i.reading.is_read) for i in deck] == [(cw2.id, False)]
