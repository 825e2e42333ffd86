"""The FolderBrowser contract, run against every adapter (see ``browse_fixtures``)."""

from __future__ import annotations

import pytest

from bagboard.domain.browse import ComicRow, FolderRow, FolderShape, volumes
from bagboard.domain.model import Library
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from tests.contract import browse_fixtures
from tests.contract.browse_fixtures import ADDED, Comic, add_comics, info

# The parametrised fixtures live apart so both browse suites share them; bound here by name.
library_index = browse_fixtures.library_index
folder_browser = browse_fixtures.folder_browser
comics_library = browse_fixtures.comics_library
manga_library = browse_fixtures.manga_library

COMICS = "/srv/comics"
MANGA = "/srv/manga"
BOTH = (1, 2)


@pytest.fixture
def tree(library_index: LibraryIndex, comics_library: Library, manga_library: Library) -> None:
    """Publishers of series folders: plain series, a multi-volume series (with an empty extra
    folder), a series with comics beside a subfolder, and a publisher of flat series. The
    manga library repeats the ``DC/Batman 2`` folder and file names."""
    add_comics(
        library_index,
        comics_library,
        [
            Comic("DC/Batman 10/Batman 10 #1.cbz"),
            Comic("DC/Batman 2/Batman 2 #1.cbz"),
            Comic("DC/batman 3/batman 3 #1.cbz"),
            Comic("DC/Sandman/v1989/Sandman 01.cbz"),
            Comic("DC/Sandman/v1989/Sandman 02.cbz"),
            Comic("DC/Sandman/v2022/Sandman 01.cbz"),
            Comic("DC/Watchmen/Watchmen 01.cbz"),
            Comic("DC/Watchmen/Watchmen 02.cbz"),
            Comic("DC/Watchmen/Extras/Sketches.cbz"),
            Comic("Image/Saga/Saga 10.cbz"),
            Comic("Image/Saga/saga 1.cbz"),
            Comic("Image/Saga/Saga 2.cbz", info(title="Chapter Two", year="2012", number="2")),
            Comic("Image/Saga/Saga 1.cbz"),
            Comic("Image/Invincible/Invincible 001.cbz"),
        ],
        folders=["DC/Sandman/Artbook"],
        thumbnails=["DC", "DC/Sandman"],
    )
    add_comics(
        library_index,
        manga_library,
        [Comic("DC/Batman 2/Batman 2 #1.cbz"), Comic("Kodansha/Akira/Akira 01.cbz")],
    )


def at(browser: FolderBrowser, path: str) -> FolderRow:
    row = browser.at(BOTH, path)
    assert row is not None, path
    return row


def names(page: Page[FolderRow] | Page[ComicRow] | list[FolderRow]) -> list[str]:
    rows = page if isinstance(page, list) else page.items
    return [row.name for row in rows]


def every_page(fetch: object, size: int) -> list[list[int]]:
    """The ids on each page of ``fetch(PageRequest)`` until an empty page."""
    assert callable(fetch)
    pages: list[list[int]] = []
    for number in range(1, 100):
        page = fetch(PageRequest(number, size))
        if not page.items:
            return pages
        pages.append([row.id for row in page.items])
    raise AssertionError("never ran out of pages")


@pytest.mark.usefixtures("tree")
def test_publishers_are_the_depth_one_folders_of_the_visible_libraries(
    folder_browser: FolderBrowser,
) -> None:
    root = at(folder_browser, COMICS)
    dc = at(folder_browser, f"{COMICS}/DC")
    assert dc == FolderRow(
        id=dc.id,
        library_id=1,
        parent_id=root.id,
        path=f"{COMICS}/DC",
        name="DC",
        depth=1,
        has_thumbnail=True,
        comic_count=9,
    )
    page = folder_browser.publishers(BOTH, PageRequest())
    assert names(page) == ["DC", "DC", "Image", "Kodansha"]
    assert (page.total, page.total_pages, page.has_more) == (4, 1, False)
    # Equal names fall back to the id, the unique tie-break.
    assert page.items[0].id < page.items[1].id
    assert {row.library_id for row in page.items[:2]} == {1, 2}
    assert [(r.comic_count, r.has_thumbnail) for r in page.items[2:]] == [(5, False), (1, False)]
    assert names(folder_browser.publishers([1], PageRequest())) == ["DC", "Image"]
    assert names(folder_browser.publishers([2], PageRequest())) == ["DC", "Kodansha"]
    assert folder_browser.publishers((), PageRequest()) == Page([], 0, PageRequest())


def test_publishers_page_in_natural_order_without_overlap(
    folder_browser: FolderBrowser, library_index: LibraryIndex, comics_library: Library
) -> None:
    add_comics(library_index, comics_library, [Comic(f"pub {n}/s/x.cbz") for n in range(25, 0, -1)])
    listed: list[str] = []
    for number, size in ((1, 10), (2, 10), (3, 5)):
        page = folder_browser.publishers([1], PageRequest(number, 10))
        assert (len(page.items), page.total, page.total_pages) == (size, 25, 3)
        assert page.has_more is (number < 3)
        listed += names(page)
    assert listed == [f"pub {n}" for n in range(1, 26)]
    beyond = folder_browser.publishers([1], PageRequest(4, 10))
    assert (list(beyond.items), beyond.total, beyond.has_more) == ([], 25, False)
    pages = every_page(lambda request: folder_browser.publishers([1], request), 7)
    ids = [i for page in pages for i in page]
    assert len(ids) == len(set(ids)) == 25


@pytest.mark.usefixtures("tree")
def test_named_matches_the_exact_name_under_the_given_parents(
    folder_browser: FolderBrowser,
) -> None:
    both_dc = folder_browser.named(BOTH, None, "DC")
    assert [row.path for row in both_dc] == sorted(
        [f"{COMICS}/DC", f"{MANGA}/DC"], key=lambda p: at(folder_browser, p).id
    )
    assert [row.path for row in folder_browser.named([2], None, "DC")] == [f"{MANGA}/DC"]
    assert folder_browser.named(BOTH, None, "dc") == []
    assert folder_browser.named(BOTH, None, "Saga") == []  # not a publisher
    parents = [row.id for row in both_dc]
    assert len(folder_browser.named(BOTH, parents, "Batman 2")) == 2
    assert [r.path for r in folder_browser.named([1], parents, "Batman 2")] == [
        f"{COMICS}/DC/Batman 2"
    ]
    assert folder_browser.named(BOTH, parents, "Saga") == []
    assert folder_browser.named(BOTH, [], "Batman 2") == []
    assert folder_browser.named((), None, "DC") == []


@pytest.mark.usefixtures("tree")
def test_at_finds_a_visible_folder_by_its_exact_path(folder_browser: FolderBrowser) -> None:
    sandman = folder_browser.at([1], f"{COMICS}/DC/Sandman")
    assert sandman is not None
    assert (sandman.name, sandman.depth, sandman.comic_count) == ("Sandman", 2, 3)
    assert sandman.parent_id == at(folder_browser, f"{COMICS}/DC").id
    assert folder_browser.at([2], f"{COMICS}/DC/Sandman") is None
    assert folder_browser.at([1], f"{COMICS}/DC/sandman") is None
    assert folder_browser.at([1], f"{COMICS}/DC/Sandman/") is None
    assert folder_browser.at((), f"{COMICS}/DC/Sandman") is None
    root = folder_browser.at([1], COMICS)
    assert root is not None
    assert (root.depth, root.parent_id, root.comic_count) == (0, None, 14)


@pytest.mark.usefixtures("tree")
def test_children_of_several_parents_in_natural_order(folder_browser: FolderBrowser) -> None:
    dc = at(folder_browser, f"{COMICS}/DC")
    manga_dc = at(folder_browser, f"{MANGA}/DC")
    series = folder_browser.children([dc.id], PageRequest())
    assert names(series) == ["Batman 2", "batman 3", "Batman 10", "Sandman", "Watchmen"]
    assert {(row.parent_id, row.depth) for row in series.items} == {(dc.id, 2)}
    assert [row.comic_count for row in series.items] == [1, 1, 1, 3, 3]
    assert [row.has_thumbnail for row in series.items] == [False] * 3 + [True, False]

    both = folder_browser.children([dc.id, manga_dc.id], PageRequest())
    assert names(both)[:3] == ["Batman 2", "Batman 2", "batman 3"]
    assert both.items[0].id < both.items[1].id
    pages = every_page(lambda r: folder_browser.children([dc.id, manga_dc.id], r), 1)
    assert [page[0] for page in pages] == [row.id for row in both.items]
    assert folder_browser.children([], PageRequest()) == Page([], 0, PageRequest())


@pytest.mark.usefixtures("tree")
def test_shapes_describe_folders_for_volume_detection(folder_browser: FolderBrowser) -> None:
    wanted = [
        f"{COMICS}/DC/Sandman",
        f"{COMICS}/DC/Watchmen",
        f"{COMICS}/Image/Saga",
        f"{COMICS}/Image",
        f"{COMICS}/DC/Nothing",
    ]
    shapes = folder_browser.shapes(wanted)
    assert shapes == {
        f"{COMICS}/DC/Sandman": FolderShape(
            2, 0, (("Artbook", 0, 0), ("v1989", 2, 2), ("v2022", 1, 1))
        ),
        f"{COMICS}/DC/Watchmen": FolderShape(2, 2, (("Extras", 1, 1),)),
        f"{COMICS}/Image/Saga": FolderShape(2, 4, ()),
        f"{COMICS}/Image": FolderShape(1, 0, (("Invincible", 1, 1), ("Saga", 4, 4))),
    }
    assert volumes(shapes[f"{COMICS}/DC/Sandman"]) == ("v1989", "v2022")
    assert volumes(shapes[f"{COMICS}/DC/Watchmen"]) is None
    assert volumes(shapes[f"{COMICS}/Image"]) is None  # a publisher of flat series
    assert folder_browser.shapes([]) == {}
    assert folder_browser.shapes([f"{COMICS}/nope"]) == {}


@pytest.mark.usefixtures("tree")
def test_comics_directly_in_folders_in_natural_order(folder_browser: FolderBrowser) -> None:
    saga = at(folder_browser, f"{COMICS}/Image/Saga")
    page = folder_browser.comics([saga.id], PageRequest())
    assert names(page) == ["Saga 1.cbz", "saga 1.cbz", "Saga 2.cbz", "Saga 10.cbz"]
    assert page.total == 4
    tagged, plain = page.items[2], page.items[0]
    assert tagged == ComicRow(
        id=tagged.id,
        library_id=1,
        path=f"{COMICS}/Image/Saga/Saga 2.cbz",
        name="Saga 2.cbz",
        size=100,
        has_comicinfo=True,
        page_count=3,
        added_at=ADDED,
        title="Chapter Two",
        number="2",
        year="2012",
    )
    assert (plain.has_comicinfo, plain.title, plain.series, plain.year) == (False, "", "", "")
    pages = every_page(lambda r: folder_browser.comics([saga.id], r), 3)
    assert pages == [[row.id for row in page.items[:3]], [page.items[3].id]]

    watchmen = at(folder_browser, f"{COMICS}/DC/Watchmen")
    assert names(folder_browser.comics([watchmen.id], PageRequest())) == [
        "Watchmen 01.cbz",
        "Watchmen 02.cbz",
    ]
    sandman = at(folder_browser, f"{COMICS}/DC/Sandman")
    assert folder_browser.comics([sandman.id], PageRequest()).total == 0
    assert folder_browser.comics([], PageRequest()) == Page([], 0, PageRequest())


@pytest.mark.usefixtures("tree")
def test_comics_with_equal_names_are_ordered_by_id(folder_browser: FolderBrowser) -> None:
    folders = [at(folder_browser, f"{root}/DC/Batman 2").id for root in (COMICS, MANGA)]
    page = folder_browser.comics(folders, PageRequest())
    assert names(page) == ["Batman 2 #1.cbz", "Batman 2 #1.cbz"]
    assert page.items[0].id < page.items[1].id
    assert {row.library_id for row in page.items} == {1, 2}
