"""The MetadataBrowser contract, run against every adapter (see ``browse_fixtures``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bagboard.domain.browse import ComicRow, Facet, Sort
from bagboard.domain.model import Library
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.metadata_browser import MetadataBrowser
from tests.contract import browse_fixtures
from tests.contract.browse_fixtures import ADDED, Comic, add_comics, info, later

# The parametrised fixtures live apart so both browse suites share them; bound here by name.
library_index = browse_fixtures.library_index
metadata_browser = browse_fixtures.metadata_browser
comics_library = browse_fixtures.comics_library
manga_library = browse_fixtures.manga_library

ALL = PageRequest(1, 200)

# (series, number, publisher, year, title, file name); the n-th comic is added at later(n).
SHELF = [
    ("Batman", "1", "DC Comics", "1940", "", ""),
    ("Batman", "1.5", "DC Comics", "1941", "", ""),
    ("BATMAN", "10", "dc comics", "", "", ""),
    ("Batman", "2", "DC  Comics", "1942", "", ""),
    ("Batman", "Annual", "DC Comics", "1950", "", ""),
    ("Crossover", "1", "DC Comics", "2000", "", ""),
    ("Crossover", "2", "DC Comics", "c. 2000", "", ""),
    ("Amazing Spider-Man", "121", "Marvel", "1973", "The Night Gwen Stacy Died", ""),
    ("Amazing Spider-Man", "122", "Marvel", "1973", "", ""),
    ("Amazing Spider-Man", "1", "Marvel", "1963", "", ""),
    ("100% Mutant", "1", "Marvel", "2001", "", ""),
    ("X_Men", "1", "Marvel", "1991", "", ""),
    ("Crossover", "3", "Marvel", "2001", "", ""),
    ("", "", "Marvel", "1980", "A One-Shot", ""),
    ("Amazing Spider-Man", "123", "Marvel", "1974", "", "Special Edition.cbz"),
    ("Astérix", "1", "Dargaud", "1961", "Astérix le Gaulois", ""),
    ("ASTÉRIX", "2", "Dargaud", "1962", "La Serpe d'or", ""),
    ("Astérix", "3", "Dargaud", "1963", "", ""),
    ("Saga", "1", "Image", "2012", "", ""),
    ("Saga", "2", "IMAGE", "2012", "", ""),
    ("Untitled Project", "1", "image ", "", "", ""),
    None,  # a comic without ComicInfo
    ("Orphan", "1", "", "1999", "", ""),
]
SERIES_ALPHA = [
    "100% mutant",
    "amazing spider-man",
    "astérix",
    "batman",
    "crossover",
    "orphan",
    "saga",
    "untitled project",
    "x_men",
]


@pytest.fixture
def shelf(library_index: LibraryIndex, comics_library: Library, manga_library: Library) -> None:
    comics = []
    for n, row in enumerate(SHELF, start=1):
        if row is None:
            comics.append(Comic(f"meta/{n:02d}.cbz", None, later(n)))
            continue
        series, number, publisher, year, title, name = row
        tags = info(series, number, publisher=publisher, year=year, title=title)
        comics.append(Comic(f"meta/{name or f'{n:02d}.cbz'}", tags, later(n)))
    add_comics(library_index, comics_library, comics)
    add_comics(
        library_index,
        manga_library,
        [
            Comic("m/a1.cbz", info("Akira", "1", publisher="Kodansha", year="1982"), later(30)),
            Comic("m/a2.cbz", info("Akira", "2", publisher="Kodansha", year="1983"), later(31)),
            Comic("m/b1.cbz", info("Batman", "1", publisher="DC Comics", year="1940"), later(32)),
        ],
    )


def keys(page: Page[Facet]) -> list[str]:
    return [facet.key for facet in page.items]


def numbers(page: Page[ComicRow]) -> list[str]:
    return [comic.number for comic in page.items]


@pytest.mark.usefixtures("shelf")
def test_publishers_group_case_insensitively_under_the_most_common_spelling(
    metadata_browser: MetadataBrowser,
) -> None:
    page = metadata_browser.publishers([1], Sort.ALPHA, ALL)
    assert list(page.items) == [
        Facet("dargaud", "Dargaud", 3),
        Facet("dc comics", "DC Comics", 7),
        # One comic each for "Image", "IMAGE" and "image": the first in code-point order.
        Facet("image", "IMAGE", 3),
        Facet("marvel", "Marvel", 8),
    ]
    assert page.total == 4
    by_count = metadata_browser.publishers([1, 2], Sort.COUNT, ALL)
    assert [(f.key, f.count) for f in by_count.items] == [
        ("dc comics", 8),  # ties on count go to the key
        ("marvel", 8),
        ("dargaud", 3),
        ("image", 3),
        ("kodansha", 2),
    ]
    assert keys(metadata_browser.publishers([2], Sort.ALPHA, ALL)) == ["dc comics", "kodansha"]
    assert metadata_browser.publishers((), Sort.ALPHA, ALL) == Page([], 0, ALL)


@pytest.mark.usefixtures("shelf")
def test_publishers_paginate(metadata_browser: MetadataBrowser) -> None:
    first = metadata_browser.publishers([1, 2], Sort.COUNT, PageRequest(1, 2))
    second = metadata_browser.publishers([1, 2], Sort.COUNT, PageRequest(2, 2))
    third = metadata_browser.publishers([1, 2], Sort.COUNT, PageRequest(3, 2))
    assert [keys(p) for p in (first, second, third)] == [
        ["dc comics", "marvel"],
        ["dargaud", "image"],
        ["kodansha"],
    ]
    assert {p.total for p in (first, second, third)} == {5}
    assert (first.has_more, third.has_more) == (True, False)
    assert metadata_browser.publishers([1, 2], Sort.COUNT, PageRequest(9, 2)).total == 5


@pytest.mark.usefixtures("shelf")
def test_series_facets_carry_name_count_year_and_publisher(
    metadata_browser: MetadataBrowser,
) -> None:
    page = metadata_browser.series([1], None, None, Sort.ALPHA, ALL)
    assert keys(page) == SERIES_ALPHA
    facets = {facet.key: facet for facet in page.items}
    assert facets["batman"] == Facet("batman", "Batman", 5, 1940, "DC Comics")
    assert facets["astérix"] == Facet("astérix", "Astérix", 3, 1961, "Dargaud")
    # Two DC comics against one Marvel comic; "c. 2000" is no year.
    assert facets["crossover"] == Facet("crossover", "Crossover", 3, 2000, "DC Comics")
    assert facets["orphan"] == Facet("orphan", "Orphan", 1, 1999, "")
    assert facets["untitled project"] == Facet(
        "untitled project", "Untitled Project", 1, None, "image"
    )
    both = metadata_browser.series([1, 2], None, None, Sort.ALPHA, ALL)
    assert keys(both) == ["100% mutant", "akira", *SERIES_ALPHA[1:]]
    assert {f.key: f.count for f in both.items}["batman"] == 6
    assert metadata_browser.series((), None, None, Sort.ALPHA, ALL) == Page([], 0, ALL)


@pytest.mark.usefixtures("shelf")
def test_series_of_one_publisher(metadata_browser: MetadataBrowser) -> None:
    marvel = metadata_browser.series([1], "marvel", None, Sort.ALPHA, ALL)
    assert keys(marvel) == ["100% mutant", "amazing spider-man", "crossover", "x_men"]
    crossover = marvel.items[2]
    assert (crossover.count, crossover.year, crossover.publisher) == (1, 2001, "Marvel")
    assert keys(metadata_browser.series([1], "dc comics", None, Sort.ALPHA, ALL)) == [
        "batman",
        "crossover",
    ]
    assert metadata_browser.series([1], "nobody", None, Sort.ALPHA, ALL).total == 0
    assert metadata_browser.series([1], "", None, Sort.ALPHA, ALL).total == 0


@pytest.mark.usefixtures("shelf")
def test_series_sorts(metadata_browser: MetadataBrowser) -> None:
    def listed(sort: Sort) -> list[str]:
        return keys(metadata_browser.series([1], None, None, sort, ALL))

    assert listed(Sort.COUNT) == [
        "batman",
        "amazing spider-man",
        "astérix",
        "crossover",
        "saga",
        "100% mutant",
        "orphan",
        "untitled project",
        "x_men",
    ]
    assert listed(Sort.YEAR) == [
        "batman",
        "astérix",
        "amazing spider-man",
        "x_men",
        "orphan",
        "crossover",
        "100% mutant",
        "saga",
        "untitled project",  # no year: last
    ]
    assert listed(Sort.RECENT) == [
        "orphan",
        "untitled project",
        "saga",
        "astérix",
        "amazing spider-man",
        "crossover",
        "x_men",
        "100% mutant",
        "batman",
    ]


@pytest.mark.usefixtures("shelf")
def test_series_paginate_without_overlap(metadata_browser: MetadataBrowser) -> None:
    for sort in (Sort.ALPHA, Sort.COUNT, Sort.YEAR, Sort.RECENT):
        full = keys(metadata_browser.series([1], None, None, sort, ALL))
        pages = [
            metadata_browser.series([1], None, None, sort, PageRequest(n, 4)) for n in (1, 2, 3)
        ]
        assert [key for page in pages for key in keys(page)] == full
        assert [len(page.items) for page in pages] == [4, 4, 1]
        assert {page.total for page in pages} == {9}
        beyond = metadata_browser.series([1], None, None, sort, PageRequest(4, 4))
        assert (list(beyond.items), beyond.total, beyond.has_more) == ([], 9, False)
    searched = [
        metadata_browser.series([1], None, "a", Sort.ALPHA, PageRequest(n, 2)) for n in (1, 2, 9)
    ]
    assert [keys(page) for page in searched] == [
        ["100% mutant", "amazing spider-man"],
        ["astérix", "batman"],
        [],
    ]
    assert {page.total for page in searched} == {6}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("%", ["100% mutant"]),  # literal, not a wildcard
        ("_", ["x_men"]),
        ("0%", ["100% mutant"]),
        ("bat", ["batman"]),
        ("ASTÉRIX", ["astérix"]),
        ("astérix", ["astérix"]),
        ("serpe d'or", ["astérix"]),  # a title
        ("gwen stacy", ["amazing spider-man"]),
        ("special edition", ["amazing spider-man"]),  # a file name
        ("one-shot", []),  # its comic is in no series
        ("amazing  spider", ["amazing spider-man"]),  # spaces collapse as in keys
        ("nothing at all", []),
    ],
)
@pytest.mark.usefixtures("shelf")
def test_series_search(metadata_browser: MetadataBrowser, query: str, found: list[str]) -> None:
    page = metadata_browser.series([1], None, query, Sort.ALPHA, ALL)
    assert (keys(page), page.total) == (found, len(found))


@pytest.mark.usefixtures("shelf")
def test_a_found_series_counts_all_its_comics(metadata_browser: MetadataBrowser) -> None:
    page = metadata_browser.series([1], None, "gwen", Sort.ALPHA, ALL)
    assert page.items[0].count == 4
    crossover = metadata_browser.series([1], "marvel", "CROSS", Sort.ALPHA, ALL)
    assert [(f.key, f.count) for f in crossover.items] == [("crossover", 1)]
    assert metadata_browser.series([2], None, "gwen", Sort.ALPHA, ALL).total == 0


@pytest.mark.usefixtures("shelf")
def test_issues_in_natural_number_order(metadata_browser: MetadataBrowser) -> None:
    page = metadata_browser.issues([1], "batman", None, Sort.ALPHA, ALL)
    assert numbers(page) == ["1", "1.5", "2", "10", "Annual"]
    assert page.total == 5
    tenth = page.items[3]
    assert (tenth.series, tenth.publisher, tenth.year, tenth.title) == (
        "BATMAN",
        "dc comics",
        "",
        "",
    )
    assert (tenth.has_comicinfo, tenth.added_at, tenth.library_id) == (True, later(3), 1)
    first = metadata_browser.issues([1], "batman", None, Sort.ALPHA, PageRequest(1, 2))
    rest = metadata_browser.issues([1], "batman", None, Sort.ALPHA, PageRequest(2, 2))
    assert (numbers(first), numbers(rest), first.total) == (["1", "1.5"], ["2", "10"], 5)
    both = metadata_browser.issues([1, 2], "batman", None, Sort.ALPHA, ALL)
    assert numbers(both)[:2] == ["1", "1"]
    assert {c.library_id for c in both.items[:2]} == {1, 2}


@pytest.mark.usefixtures("shelf")
def test_issue_sorts_and_filters(metadata_browser: MetadataBrowser) -> None:
    by_year = metadata_browser.issues([1], "batman", None, Sort.YEAR, ALL)
    assert numbers(by_year) == ["Annual", "2", "1.5", "1", "10"]  # unknown year last
    recent = metadata_browser.issues([1], "batman", None, Sort.RECENT, ALL)
    assert numbers(recent) == ["Annual", "2", "10", "1.5", "1"]
    marvel = metadata_browser.issues([1], "crossover", "marvel", Sort.ALPHA, ALL)
    assert numbers(marvel) == ["3"]
    assert numbers(metadata_browser.issues([1], "crossover", "dc comics", Sort.ALPHA, ALL)) == [
        "1",
        "2",
    ]
    assert metadata_browser.issues([1], "akira", None, Sort.ALPHA, ALL).total == 0
    assert metadata_browser.issues([1], "", None, Sort.ALPHA, ALL).total == 0
    assert metadata_browser.issues([1], "orphan", "", Sort.ALPHA, ALL).total == 0
    assert metadata_browser.issues((), "batman", None, Sort.ALPHA, ALL).total == 0


@pytest.mark.usefixtures("shelf")
def test_series_issues_are_whole_series_in_issue_order(
    metadata_browser: MetadataBrowser, library_index: LibraryIndex, comics_library: Library
) -> None:
    found = metadata_browser.series_issues(1, ["batman", "saga", "akira", "", "nothing"])
    assert set(found) == {"batman", "saga"}  # Akira is in library 2; no comics, no key
    for key, rows in found.items():
        assert list(rows) == metadata_browser.issues([1], key, None, Sort.ALPHA, ALL).items
    assert [row.number for row in found["batman"]] == ["1", "1.5", "2", "10", "Annual"]
    assert metadata_browser.series_issues(2, ["akira"])["akira"][0].library_id == 2
    assert metadata_browser.series_issues(1, []) == {}
    # After any index write, a series comes back as a new tuple (callers keep what they
    # derive from a tuple for as long as they get the same object), and shows the write.
    before = metadata_browser.series_issues(1, ["batman", "saga"])
    add_comics(library_index, comics_library, [Comic("meta/s3.cbz", info("Saga", "3"), later(40))])
    after = metadata_browser.series_issues(1, ["batman", "saga"])
    assert after["batman"] == before["batman"]
    assert after["batman"] is not before["batman"]
    assert [r.number for r in metadata_browser.series_issues(1, ["saga"])["saga"]] == [
        "1",
        "2",
        "3",
    ]


def test_recent_lists_comics_added_since_newest_first(
    metadata_browser: MetadataBrowser,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
) -> None:
    hour = timedelta(hours=1)
    add_comics(
        library_index,
        comics_library,
        [
            Comic("old.cbz", added=ADDED - hour),
            Comic("edge.cbz", added=ADDED),
            Comic("twin a.cbz", added=ADDED + hour),
            Comic("twin b.cbz", added=ADDED + hour),
        ],
    )
    add_comics(library_index, manga_library, [Comic("manga.cbz", added=ADDED + 2 * hour)])
    page = metadata_browser.recent([1], ADDED, ALL)
    assert [c.name for c in page.items][2:] == ["edge.cbz"]
    twins = page.items[:2]
    assert {c.name for c in twins} == {"twin a.cbz", "twin b.cbz"}
    assert twins[0].id > twins[1].id  # equal times: the later id first
    assert page.total == 3
    both = metadata_browser.recent([1, 2], ADDED, PageRequest(1, 2))
    assert ([c.name for c in both.items][:1], both.total, both.has_more) == (["manga.cbz"], 4, True)
    assert metadata_browser.recent([1], ADDED + 3 * hour, ALL).total == 0
    assert metadata_browser.recent((), ADDED, ALL) == Page([], 0, ALL)
