"""The FolderBrowser contract for layouts beyond Publisher/Series(/volume)/issue: comics at a
library root, series folders directly under a root, mixed and deeper folders
(``domain.folder_layout``), run against every adapter (see ``browse_fixtures``)."""

from __future__ import annotations

import pytest

from bagboard.domain.browse import FolderRow, FolderShape, volumes
from bagboard.domain.model import Library
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from tests.contract import browse_fixtures
from tests.contract.browse_fixtures import Comic, add_comics

library_index = browse_fixtures.library_index
folder_browser = browse_fixtures.folder_browser
comics_library = browse_fixtures.comics_library
manga_library = browse_fixtures.manga_library

COMICS = "/srv/comics"
MANGA = "/srv/manga"
BOTH = (1, 2)


@pytest.fixture
def layouts(library_index: LibraryIndex, comics_library: Library, manga_library: Library) -> None:
    """Library 1 (root folder ``comics``) holds two comics itself; ``Saga`` is a series folder
    directly under the root (with an ``Extras`` series inside); ``DC`` holds the reference's
    layout, a mixed series (``Watchmen``), a series whose comics lie deeper (``Sandman``), an
    imprint (``Vertigo``) and an empty folder. Library 2 has a publisher called ``comics``."""
    add_comics(
        library_index,
        comics_library,
        [
            Comic("Loose 2.cbz"),
            Comic("Loose 10.cbz"),
            Comic("Saga/Saga 01.cbz"),
            Comic("Saga/Saga 02.cbz"),
            Comic("Saga/Extras/Saga Sketchbook.cbz"),
            Comic("DC/Batman/Batman 01.cbz"),
            Comic("DC/Watchmen/Watchmen 01.cbz"),
            Comic("DC/Watchmen/Extras/Sketches.cbz"),
            Comic("DC/Watchmen/Extras/More/Covers.cbz"),
            Comic("DC/Watchmen/Extras 2/Absolute.cbz"),
            Comic("DC/Watchmen/extras/Lower.cbz"),
            Comic("DC/Sandman/v1989/Sandman 01.cbz"),
            Comic("DC/Sandman/v1989/Specials/Sandman Special.cbz"),
            Comic("DC/Sandman/Arc 10/v2/Sandman 10.cbz"),
            Comic("DC/Sandman/Arc 2/v1/Sandman 02.cbz"),
            Comic("DC/Vertigo/Preacher/Preacher 01.cbz"),
            Comic("DC/Vertigo/Hellblazer/Hellblazer 01.cbz"),
        ],
        folders=["DC/Empty"],
    )
    add_comics(library_index, manga_library, [Comic("comics/Akira/Akira 01.cbz")])


def at(browser: FolderBrowser, path: str) -> FolderRow:
    row = browser.at(BOTH, path)
    assert row is not None, path
    return row


def listed(page: Page[FolderRow]) -> list[tuple[str, str, int]]:
    return [(row.name, row.path, row.comic_count) for row in page.items]


def every_entry(browser: FolderBrowser, publishers: list[FolderRow], size: int) -> list[int]:
    ids: list[int] = []
    for number in range(1, 200):
        page = browser.series(publishers, PageRequest(number, size))
        ids += [row.id for row in page.items]
        if not page.has_more:
            return ids
    raise AssertionError("never ran out of pages")


@pytest.mark.usefixtures("layouts")
def test_a_root_holding_comics_is_a_publisher_counting_only_its_own(
    folder_browser: FolderBrowser,
) -> None:
    page = folder_browser.publishers(BOTH, PageRequest())
    assert [(row.name, row.path, row.depth, row.comic_count) for row in page.items] == [
        ("comics", COMICS, 0, 2),  # the root: its two comics, not the library's 17
        ("comics", f"{MANGA}/comics", 1, 1),
        ("DC", f"{COMICS}/DC", 1, 12),
        ("Saga", f"{COMICS}/Saga", 1, 3),
    ]
    assert page.total == 4
    # A root holding no comic directly is no publisher.
    assert [row.path for row in folder_browser.publishers([2], PageRequest()).items] == [
        f"{MANGA}/comics"
    ]
    named = folder_browser.named(BOTH, None, "comics")
    assert sorted((row.path, row.comic_count) for row in named) == [
        (COMICS, 2),
        (f"{MANGA}/comics", 1),
    ]
    assert folder_browser.named(BOTH, None, "manga") == []


@pytest.mark.usefixtures("layouts")
def test_a_root_publisher_has_itself_as_its_one_series(folder_browser: FolderBrowser) -> None:
    root = at(folder_browser, COMICS)
    page = folder_browser.series([root], PageRequest())
    assert listed(page) == [("comics", COMICS, 2)]
    assert page.total == 1


@pytest.mark.usefixtures("layouts")
def test_a_publisher_folder_holding_comics_is_its_own_first_series(
    folder_browser: FolderBrowser,
) -> None:
    saga = at(folder_browser, f"{COMICS}/Saga")
    page = folder_browser.series([saga], PageRequest())
    assert listed(page) == [
        ("Saga", f"{COMICS}/Saga", 2),
        ("Extras", f"{COMICS}/Saga/Extras", 1),
    ]


@pytest.mark.usefixtures("layouts")
def test_a_mixed_series_is_followed_by_the_folders_below_it(
    folder_browser: FolderBrowser,
) -> None:
    dc = at(folder_browser, f"{COMICS}/DC")
    page = folder_browser.series([dc], PageRequest())
    watchmen = f"{COMICS}/DC/Watchmen"
    assert listed(page) == [
        ("Batman", f"{COMICS}/DC/Batman", 1),
        ("Empty", f"{COMICS}/DC/Empty", 0),
        ("Sandman", f"{COMICS}/DC/Sandman", 4),
        ("Vertigo", f"{COMICS}/DC/Vertigo", 2),
        ("Watchmen", watchmen, 5),
        ("Watchmen/Extras", f"{watchmen}/Extras", 2),
        ("Watchmen/Extras/More", f"{watchmen}/Extras/More", 1),
        ("Watchmen/extras", f"{watchmen}/extras", 1),
        ("Watchmen/Extras 2", f"{watchmen}/Extras 2", 1),
    ]
    assert page.total == 9


@pytest.mark.usefixtures("layouts")
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7])
def test_series_pages_cut_the_merged_list_without_overlap(
    folder_browser: FolderBrowser, size: int
) -> None:
    publishers = [
        at(folder_browser, COMICS),
        at(folder_browser, f"{COMICS}/DC"),
        at(folder_browser, f"{COMICS}/Saga"),
        at(folder_browser, f"{MANGA}/comics"),
    ]
    whole = folder_browser.series(publishers, PageRequest(1, 200))
    assert [row.name for row in whole.items][:4] == ["comics", "Saga", "Akira", "Batman"]
    assert whole.total == len(whole.items) == 13
    assert every_entry(folder_browser, publishers, size) == [row.id for row in whole.items]
    last = -(-whole.total // size)
    beyond = folder_browser.series(publishers, PageRequest(last + 1, size))
    assert (list(beyond.items), beyond.total) == ([], 13)


@pytest.mark.usefixtures("layouts")
def test_a_series_page_asked_again_after_an_index_write_shows_it(
    folder_browser: FolderBrowser, library_index: LibraryIndex, comics_library: Library
) -> None:
    dc = at(folder_browser, f"{COMICS}/DC")
    before = folder_browser.series([dc], PageRequest(1, 3))
    assert (listed(before), before.total) == (
        [
            ("Batman", f"{COMICS}/DC/Batman", 1),
            ("Empty", f"{COMICS}/DC/Empty", 0),
            ("Sandman", f"{COMICS}/DC/Sandman", 4),
        ],
        9,
    )
    add_comics(library_index, comics_library, [Comic("DC/Aquaman/Aquaman 01.cbz")])
    dc = at(folder_browser, f"{COMICS}/DC")
    after = folder_browser.series([dc], PageRequest(1, 3))
    assert [row.name for row in after.items] == ["Aquaman", "Batman", "Empty"]
    assert after.total == 10


@pytest.mark.usefixtures("layouts")
def test_folders_looked_up_again_after_an_index_write_are_current(
    folder_browser: FolderBrowser, library_index: LibraryIndex, comics_library: Library
) -> None:
    dc = at(folder_browser, f"{COMICS}/DC")
    assert folder_browser.named(BOTH, None, "Vertigo") == []
    assert folder_browser.named(BOTH, [dc.id], "Aquaman") == []
    assert folder_browser.at(BOTH, f"{COMICS}/DC/Aquaman") is None
    add_comics(
        library_index,
        comics_library,
        [Comic("Vertigo/Preacher/Preacher 01.cbz"), Comic("DC/Aquaman/Aquaman 01.cbz")],
    )
    assert [row.name for row in folder_browser.named(BOTH, None, "Vertigo")] == ["Vertigo"]
    assert [row.name for row in folder_browser.named(BOTH, [dc.id], "Aquaman")] == ["Aquaman"]
    assert at(folder_browser, f"{COMICS}/DC/Aquaman").comic_count == 1


@pytest.mark.usefixtures("layouts")
def test_a_deeper_folder_given_as_publisher_lists_its_subfolders_only(
    folder_browser: FolderBrowser,
) -> None:
    sandman = at(folder_browser, f"{COMICS}/DC/Sandman")
    assert [row.name for row in folder_browser.series([sandman], PageRequest()).items] == [
        "Arc 2",
        "Arc 10",
        "v1989",
    ]
    assert folder_browser.series([], PageRequest()) == Page([], 0, PageRequest())


@pytest.mark.usefixtures("layouts")
def test_shapes_name_the_deeper_folders_of_a_series_without_comics_of_its_own(
    folder_browser: FolderBrowser,
) -> None:
    shapes = folder_browser.shapes(
        [f"{COMICS}/DC/Sandman", f"{COMICS}/DC/Vertigo", f"{COMICS}/DC/Watchmen"]
    )
    sandman = shapes[f"{COMICS}/DC/Sandman"]
    assert sandman == FolderShape(
        2,
        0,
        (("Arc 2", 1, 0), ("Arc 10", 1, 0), ("v1989", 2, 1)),
        ("Arc 10/v2", "Arc 2/v1", "v1989/Specials"),
    )
    assert volumes(sandman) == ("Arc 2/v1", "Arc 10/v2", "v1989", "v1989/Specials")
    # An imprint of series folders is read as the reference reads it: a multi-volume series.
    assert volumes(shapes[f"{COMICS}/DC/Vertigo"]) == ("Hellblazer", "Preacher")
    assert shapes[f"{COMICS}/DC/Vertigo"].deeper == ()
    # A mixed series has no volumes: its deeper folders are series of their own.
    assert shapes[f"{COMICS}/DC/Watchmen"].deeper == ()
    assert volumes(shapes[f"{COMICS}/DC/Watchmen"]) is None
