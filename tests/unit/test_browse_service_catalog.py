"""``BrowseService`` reads behind the OPDS catalog (search, keep reading, folders), on the
shipped memory adapters over a real scanned collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.domain.errors import InvalidInput, InvalidPath, NotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.library import ComicLibrary
from bagboard.services.browse import FolderContents, IssueItem
from tests.archive_factory import jpeg, write_cbz
from tests.browse_support import ASM, SWAMP, index_collection, write_collection
from tests.progress_writes import mark_read, save_page

ALL = PageRequest(1, 200)
SPIDER = "Amazing Spider-Man"


@dataclass
class Setup:
    app: ComicLibrary
    owner: User
    kid: User
    lib_a: Library
    lib_b: Library


@pytest.fixture
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    # A fresh app per test: the tests save reading positions.
    base = tmp_path_factory.mktemp("browse-catalog")
    root_a, root_b = write_collection(base, datetime.now(UTC))
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(base / "data")), memory=True, workers=0
    )
    lib_a, lib_b = index_collection(app, root_a, root_b)
    accounts = app.accounts
    kid = accounts.add_user("kid", Role.READER, [lib_a.id])
    yield Setup(app, accounts.owner(), kid, lib_a, lib_b)
    app.close()


def comic_id(setup: Setup, relative: str, library: Library | None = None) -> int:
    comic = setup.app.container.library_index().comic_at(
        f"{(library or setup.lib_a).root}/{relative}"
    )
    assert comic is not None, relative
    return comic.id


def names(page: Page[IssueItem]) -> list[str]:
    return [item.comic.name for item in page.items]


# --- search ----------------------------------------------------------------------------------


def test_search_finds_comics_by_series_title_or_file_name(setup: Setup) -> None:
    browse = setup.app.browse
    found = browse.search(setup.owner, "  SPIDER ", ALL)
    assert [item.comic.number for item in found.items] == ["1", "1.5", "2", "3", "10", "Annual"]
    assert found.total == 6
    assert names(browse.search(setup.owner, "court of owls", ALL)) == ["Batman 001.cbz"]
    assert names(browse.search(setup.owner, "jughead 01", ALL)) == ["Jughead 01.cbz"]
    assert browse.search(setup.owner, "nothing like it", ALL).total == 0


def test_search_sees_only_the_users_libraries(setup: Setup) -> None:
    browse = setup.app.browse
    assert [item.comic.number for item in browse.search(setup.kid, SPIDER, ALL).items] == [
        "1",
        "1.5",
        "2",
        "10",
        "Annual",
    ]
    assert browse.search(setup.kid, "hidden", ALL).total == 0
    assert browse.search(setup.owner, "hidden", ALL).total == 3


def test_search_pages(setup: Setup) -> None:
    browse = setup.app.browse
    first = browse.search(setup.owner, SPIDER, PageRequest(1, 4))
    second = browse.search(setup.owner, SPIDER, PageRequest(2, 4))
    assert (len(first.items), len(second.items), first.total, first.has_more) == (4, 2, 6, True)
    assert not set(names(first)) & set(names(second))


def test_search_results_carry_the_users_reading_state(setup: Setup) -> None:
    second = comic_id(setup, f"{ASM}/{SPIDER} #2.cbz")
    states = setup.app.container.progress_store()
    save_page(
        states, setup.app.container.library_index(), setup.kid.id, second, 4, datetime.now(UTC)
    )
    mark_read(
        states, setup.app.container.library_index(), setup.owner.id, second, datetime.now(UTC)
    )
    items = {item.comic.id: item for item in setup.app.browse.search(setup.kid, SPIDER).items}
    assert (items[second].reading.last_page, items[second].reading.is_read) == (4, False)
    assert sum(item.reading.has_progress for item in items.values()) == 1


@pytest.mark.parametrize("query", ["", "   ", "bat\x00man"])
def test_search_refuses_blank_queries_and_nul(setup: Setup, query: str) -> None:
    with pytest.raises(InvalidInput):
        setup.app.browse.search(setup.owner, query)


# --- keep reading -------------------------------------------------------------------------------


def test_keep_reading_lists_started_unread_comics_newest_first(setup: Setup) -> None:
    now = datetime.now(UTC)
    states = setup.app.container.progress_store()
    first, second, annual = (
        comic_id(setup, f"{ASM}/{SPIDER} {name}.cbz") for name in ("#1", "#2", "Annual")
    )
    third = comic_id(setup, f"{ASM}/{SPIDER} #3.cbz", setup.lib_b)
    save_page(states, setup.app.container.library_index(), setup.owner.id, first, 3, now)
    save_page(
        states,
        setup.app.container.library_index(),
        setup.owner.id,
        third,
        5,
        now + timedelta(minutes=1),
    )
    save_page(
        states,
        setup.app.container.library_index(),
        setup.owner.id,
        second,
        9,
        now + timedelta(minutes=2),
    )
    save_page(
        states,
        setup.app.container.library_index(),
        setup.owner.id,
        annual,
        2,
        now + timedelta(minutes=3),
    )
    mark_read(
        states,
        setup.app.container.library_index(),
        setup.owner.id,
        annual,
        now + timedelta(minutes=4),
    )
    browse = setup.app.browse
    page = browse.keep_reading(setup.owner, ALL)
    assert [item.comic.number for item in page.items] == ["2", "3", "1"]
    assert [item.reading.last_page for item in page.items] == [9, 5, 3]
    assert browse.keep_reading(setup.owner, PageRequest(2, 2)).total == 3
    assert browse.keep_reading(setup.kid).total == 0


def test_keep_reading_leaves_out_libraries_the_user_cannot_see(setup: Setup) -> None:
    states = setup.app.container.progress_store()
    now = datetime.now(UTC)
    save_page(
        states,
        setup.app.container.library_index(),
        setup.kid.id,
        comic_id(setup, f"{ASM}/{SPIDER} #1.cbz"),
        3,
        now,
    )
    save_page(
        states,
        setup.app.container.library_index(),
        setup.kid.id,
        comic_id(setup, f"{ASM}/{SPIDER} #3.cbz", setup.lib_b),
        1,
        now,
    )
    assert names(setup.app.browse.keep_reading(setup.kid)) == [f"{SPIDER} #1.cbz"]


# --- folders --------------------------------------------------------------------------------------


def subfolders(contents: FolderContents) -> list[str]:
    return [item.folder.name for item in contents.folders]


def test_the_top_level_of_one_library_is_its_roots_contents(setup: Setup) -> None:
    top = setup.app.browse.folder(setup.kid, None, ALL)
    assert top.folder is None
    assert subfolders(top) == [
        "archie",
        "DC Comics",
        "Image",
        "Marvel",
        "Oddities",
        "Vol 2 Press",
        "Vol 10 Press",
    ]
    assert top.folders[1].folder.path == f"{setup.lib_a.root}/DC Comics"
    assert top.comics.total == 0


def test_the_top_level_of_several_libraries_lists_their_roots(setup: Setup) -> None:
    top = setup.app.browse.folder(setup.owner, None)
    assert top.folder is None
    assert [item.folder.path for item in top.folders] == [setup.lib_a.root, setup.lib_b.root]
    assert {item.folder.depth for item in top.folders} == {0}
    # Each root shows under its library's name, not its folder's.
    assert subfolders(top) == [setup.lib_a.name, setup.lib_b.name]
    assert setup.lib_a.name != Path(setup.lib_a.root).name
    assert (list(top.comics.items), top.comics.total) == ([], 0)
    root_b = setup.app.browse.folder(setup.owner, setup.lib_b.root)
    assert root_b.folder is not None and root_b.folder.depth == 0
    assert subfolders(root_b) == ["Marvel", "Secret Press"]


def test_a_folder_lists_its_subfolders_with_volumes_and_its_comics(setup: Setup) -> None:
    browse = setup.app.browse
    dc = browse.folder(setup.kid, f"{setup.lib_a.root}/DC Comics")
    assert dc.folder is not None and (dc.folder.name, dc.folder.depth) == ("DC Comics", 1)
    assert subfolders(dc) == ["Batman", "Swamp Thing"]
    assert [item.volumes for item in dc.folders] == [None, ("v1972", "v1985")]
    assert dc.comics.total == 0
    swamp = browse.folder(setup.kid, f"{setup.lib_a.root}/{SWAMP}/")
    assert subfolders(swamp) == ["v1972", "v1985"]
    assert all(item.volumes is None for item in swamp.folders)


def test_a_folders_comics_come_a_page_at_a_time_in_name_order(setup: Setup) -> None:
    second = comic_id(setup, f"{ASM}/{SPIDER} #2.cbz")
    save_page(
        setup.app.container.progress_store(),
        setup.app.container.library_index(),
        setup.kid.id,
        second,
        6,
        datetime.now(UTC),
    )
    browse = setup.app.browse
    path = f"{setup.lib_a.root}/{ASM}"
    whole = browse.folder(setup.kid, path, ALL)
    expected = sorted(
        (f"{SPIDER} {n}.cbz" for n in ("#1", "#1.5", "#2", "#10", "Annual")),
        key=lambda name: (natural_sort_text(name), name),
    )
    assert (names(whole.comics), whole.folders) == (expected, ())
    pages = [browse.folder(setup.kid, path, PageRequest(n, 2)).comics for n in (1, 2, 3)]
    assert [name for page in pages for name in names(page)] == expected
    assert {page.total for page in pages} == {5}
    reading = {item.comic.id: item.reading.last_page for item in whole.comics.items}
    assert reading[second] == 6


@pytest.mark.parametrize(
    "path",
    [
        "{b}",  # a library the user may not see
        "{b}/Secret Press",
        "Marvel",  # not absolute
        "{a}/Nowhere",  # not indexed
        "{a}/" + ASM + "/" + SPIDER + " #1.cbz",  # a comic, not a folder
        "/etc",
    ],
)
def test_folders_out_of_sight_are_not_found(setup: Setup, path: str) -> None:
    raw = path.format(a=setup.lib_a.root, b=setup.lib_b.root)
    with pytest.raises(NotFound):
        setup.app.browse.folder(setup.kid, raw)


@pytest.mark.parametrize("path", ["{a}/../comics-b", "{a}/Marvel/..", "..", "{a}\\..\\x"])
def test_climbing_paths_are_invalid(setup: Setup, path: str) -> None:
    with pytest.raises(InvalidPath):
        setup.app.browse.folder(setup.owner, path.format(a=setup.lib_a.root))


def test_a_folder_lists_every_subfolder_however_many(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = tmp_path_factory.mktemp("many-folders")
    root = base / "library"
    page = jpeg((10, 20, 30))
    count = 230  # more than one page of the folder browser
    for n in range(count):
        (root / f"Shelf/Box {n}").mkdir(parents=True)
        write_cbz(root / f"Shelf/Box {n}/issue.cbz", {"p001.jpg": page})
    write_cbz(root / "Shelf/loose.cbz", {"p001.jpg": page})
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(base / "data")), memory=True, workers=0
    )
    try:
        library = app.libraries.add(str(root), "Only")
        app.scanner().scan(library)
        owner = app.accounts.owner()
        shelf = app.browse.folder(owner, f"{library.root}/Shelf", PageRequest(1, 1))
        assert subfolders(shelf) == [f"Box {n}" for n in range(count)]
        assert (names(shelf.comics), shelf.comics.total) == (["loose.cbz"], 1)
    finally:
        app.close()
