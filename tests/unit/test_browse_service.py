"""``BrowseService`` on the shipped memory adapters, over a real scanned collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from bagboard.config import load_settings
from bagboard.domain.browse import Facet
from bagboard.domain.errors import InvalidInput, InvalidMode, InvalidPath, NotFound
from bagboard.domain.model import BrowseMode, Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.shelves import Shelf, ShelfKind
from bagboard.library import ComicLibrary
from bagboard.services.browse import (
    MISSING_PUBLISHER,
    MISSING_PUBLISHER_OR_SERIES,
    MISSING_SERIES,
    FolderItem,
    IssueItem,
)
from tests.browse_support import ASM, SWAMP, index_collection, write_collection
from tests.progress_writes import save_page

ALL = PageRequest(1, 200)


@dataclass
class Setup:
    app: ComicLibrary
    owner: User
    kid: User
    lib_a: Library
    lib_b: Library


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    base = tmp_path_factory.mktemp("browse-service")
    root_a, root_b = write_collection(base, datetime.now(UTC))
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(base / "data")), memory=True, workers=0
    )
    lib_a, lib_b = index_collection(app, root_a, root_b)
    accounts = app.accounts
    kid = accounts.add_user("kid", Role.READER, [lib_a.id])
    yield Setup(app, accounts.owner(), kid, lib_a, lib_b)
    app.close()


def folders(items: object) -> list[FolderItem]:
    assert isinstance(items, list | tuple)
    assert all(isinstance(item, FolderItem) for item in items)
    return list(items)


def test_scope_is_the_enabled_libraries_the_user_may_see(setup: Setup) -> None:
    browse = setup.app.browse
    assert browse.scope(setup.owner).library_ids == (setup.lib_a.id, setup.lib_b.id)
    assert browse.scope(setup.kid).roots == (setup.lib_a.root,)


def test_mode_parsing(setup: Setup) -> None:
    browse = setup.app.browse
    assert browse.mode(None) is BrowseMode.METADATA
    assert browse.mode(" Filesystem ") is BrowseMode.FILESYSTEM
    with pytest.raises(InvalidMode):
        browse.mode("tree")


def test_filesystem_publishers_and_series(setup: Setup) -> None:
    browse = setup.app.browse
    listing = browse.publishers(setup.kid, mode="filesystem", sort=None, page=ALL)
    publishers = folders(listing.page.items)
    assert listing.mode is BrowseMode.FILESYSTEM
    assert [p.folder.name for p in publishers][:4] == ["archie", "DC Comics", "Image", "Marvel"]
    assert all(p.volumes is None for p in publishers)
    series = browse.series(
        setup.kid, mode="filesystem", publisher="DC Comics", query=None, sort=None, page=ALL
    )
    by_name = {item.folder.name: item for item in folders(series.page.items)}
    assert by_name["Swamp Thing"].volumes == ("v1972", "v1985")
    assert by_name["Swamp Thing"].folder.comic_count == 3
    assert by_name["Batman"].volumes is None


def test_metadata_publishers_are_facets(setup: Setup) -> None:
    listing = setup.app.browse.publishers(setup.owner, mode=None, sort="count", page=ALL)
    first = listing.page.items[0]
    assert isinstance(first, Facet)
    assert (first.name, first.count) == ("Marvel", 6)


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("series", {"mode": "filesystem", "publisher": None, "query": None}, MISSING_PUBLISHER),
        (
            "issues",
            {"mode": "filesystem", "publisher": "Marvel", "series": None},
            MISSING_PUBLISHER_OR_SERIES,
        ),
        ("issues", {"mode": "metadata", "publisher": "Marvel", "series": None}, MISSING_SERIES),
    ],
)
def test_missing_parameters_carry_the_reference_sentence_as_code(
    setup: Setup, method: str, params: dict[str, Any], code: str
) -> None:
    if method == "issues":
        params = {**params, "volume": None}
    with pytest.raises(InvalidInput) as raised:
        getattr(setup.app.browse, method)(setup.owner, sort=None, page=ALL, **params)
    assert raised.value.code == code


@pytest.mark.parametrize("publisher", ["..", "a/../b", "..\\x", "/etc", "{b}/Secret Press"])
def test_climbing_or_foreign_paths_are_invalid(setup: Setup, publisher: str) -> None:
    with pytest.raises(InvalidPath):
        setup.app.browse.series(
            setup.kid,
            mode="filesystem",
            publisher=publisher.format(b=setup.lib_b.root),
            query=None,
            sort=None,
            page=ALL,
        )


def test_issues_are_enriched_with_the_users_reading_state(setup: Setup) -> None:
    app = setup.app
    comic = app.container.library_index().comic_at(
        f"{setup.lib_a.root}/{ASM}/Amazing Spider-Man #2.cbz"
    )
    states = app.container.progress_store()
    save_page(states, app.container.library_index(), setup.kid.id, comic.id, 4, datetime.now(UTC))
    listing = app.browse.issues(
        setup.kid,
        mode="metadata",
        publisher=None,
        series="Amazing Spider-Man",
        volume=None,
        sort=None,
        page=ALL,
    )
    items: list[IssueItem] = list(listing.page.items)
    assert [item.comic.number for item in items] == ["1", "1.5", "2", "10", "Annual"]
    assert items[2].reading.last_page == 4
    assert not items[0].reading.has_progress


def test_recent_leaves_out_old_files(setup: Setup) -> None:
    names = [item.comic.name for item in setup.app.browse.recent(setup.owner, ALL).items]
    assert names[0] == "X-Men 001.cbr"
    assert "Saga 01.cbz" not in names
    assert "Hidden 03.cbz" not in names


def test_shelves_round_trip_and_refusals(setup: Setup) -> None:
    shelves = setup.app.shelves
    root = setup.lib_a.root
    shelves.add(setup.kid, Shelf.TO_READ, f"{root}/{SWAMP}/v1985")
    shelves.add(setup.kid, Shelf.TO_READ, f"{root}/{ASM}/Amazing Spider-Man #1.cbz")
    views = shelves.shelf(setup.kid, Shelf.TO_READ, ALL).items
    assert [v.entry.kind for v in views] == [ShelfKind.FILE, ShelfKind.FOLDER]
    assert (views[1].name, views[1].series, views[1].volume) == (
        "Swamp Thing v1985",
        "Swamp Thing",
        "v1985",
    )
    assert views[0].reading is not None
    with pytest.raises(NotFound):
        shelves.add(setup.kid, Shelf.FAVORITES, f"{setup.lib_b.root}/Secret Press")
    with pytest.raises(NotFound):
        shelves.add(setup.kid, Shelf.FAVORITES, f"{root}/{ASM}/Amazing Spider-Man #1.cbz")
    shelves.remove(setup.kid, Shelf.TO_READ, f"{root}/{SWAMP}/v1985")
    assert len(shelves.shelf(setup.kid, Shelf.TO_READ, ALL).items) == 1
    assert shelves.shelf(setup.owner, Shelf.TO_READ, ALL).total == 0
