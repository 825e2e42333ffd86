"""``MetadataBrowser.search``: comics found by series, title or file name, on every adapter."""

from __future__ import annotations

import pytest

from bagboard.domain.browse import ComicRow
from bagboard.domain.model import Library
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.metadata_browser import MetadataBrowser
from tests.contract import browse_fixtures, test_metadata_browser
from tests.contract.browse_fixtures import Comic, add_comics, info

library_index = browse_fixtures.library_index
metadata_browser = browse_fixtures.metadata_browser
comics_library = browse_fixtures.comics_library
manga_library = browse_fixtures.manga_library
shelf = test_metadata_browser.shelf

ALL = PageRequest(1, 200)


def found(page: Page[ComicRow]) -> list[tuple[str, str]]:
    return [(comic.series, comic.number) for comic in page.items]


@pytest.mark.usefixtures("shelf")
def test_search_finds_each_comic_ordered_by_series_then_number(
    metadata_browser: MetadataBrowser,
) -> None:
    page = metadata_browser.search([1], "MAN", ALL)
    assert found(page) == [
        ("Amazing Spider-Man", "1"),
        ("Amazing Spider-Man", "121"),
        ("Amazing Spider-Man", "122"),
        ("Amazing Spider-Man", "123"),
        ("Batman", "1"),
        ("Batman", "1.5"),
        ("Batman", "2"),
        ("BATMAN", "10"),
        ("Batman", "Annual"),
    ]
    assert page.total == 9
    both = metadata_browser.search([1, 2], "batman", ALL)
    # Two number 1s: then the file name ("01.cbz" before "b1.cbz"), whichever library.
    assert [(c.library_id, c.number) for c in both.items][:2] == [(1, "1"), (2, "1")]
    assert both.total == 6


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gwen stacy", [("Amazing Spider-Man", "121")]),  # a title: that comic, not its series
        ("special EDITION", [("Amazing Spider-Man", "123")]),  # a file name
        ("one-shot", [("", "")]),  # a comic in no series is found too
        ("%", [("100% Mutant", "1")]),  # literal, not a wildcard
        ("_", [("X_Men", "1")]),
        ("astérix", [("Astérix", "1"), ("ASTÉRIX", "2"), ("Astérix", "3")]),
        ("amazing  spider-man 1", []),  # spaces collapse for series keys only
        ("nothing at all", []),
    ],
)
@pytest.mark.usefixtures("shelf")
def test_search_matches_literally_and_case_insensitively(
    metadata_browser: MetadataBrowser, query: str, expected: list[tuple[str, str]]
) -> None:
    page = metadata_browser.search([1], query, ALL)
    assert (found(page), page.total) == (expected, len(expected))


@pytest.mark.usefixtures("shelf")
def test_search_sees_only_the_given_libraries(metadata_browser: MetadataBrowser) -> None:
    assert metadata_browser.search([2], "gwen", ALL).total == 0
    assert [c.name for c in metadata_browser.search([2], "akira", ALL).items] == [
        "a1.cbz",
        "a2.cbz",
    ]
    assert metadata_browser.search((), "batman", ALL) == Page([], 0, ALL)


@pytest.mark.usefixtures("shelf")
def test_search_paginates_without_overlap(metadata_browser: MetadataBrowser) -> None:
    whole = metadata_browser.search([1, 2], "a", ALL)
    assert whole.total == len(whole.items) > 10
    pages = [metadata_browser.search([1, 2], "a", PageRequest(n, 4)) for n in range(1, 10)]
    assert [c.id for p in pages for c in p.items] == [c.id for c in whole.items]
    assert {p.total for p in pages} == {whole.total}
    beyond = metadata_browser.search([1, 2], "a", PageRequest(50, 4))
    assert (list(beyond.items), beyond.total, beyond.has_more) == ([], whole.total, False)


def test_search_folds_every_letter_in_titles_and_names(
    metadata_browser: MetadataBrowser, library_index: LibraryIndex, manga_library: Library
) -> None:
    add_comics(
        library_index,
        manga_library,
        [
            Comic("f/2.cbz", info("Étoiles", "2")),
            Comic("f/1.cbz", info("Étoiles", "1")),
            Comic("f/summer.cbz", info(title="ÉTÉ INDIEN")),
            Comic("f/x1.cbz", info(title="\u212aelvin")),  # KELVIN SIGN lowers to "k"
            Comic("f/x2.cbz", info(title="\u0130stanbul")),  # "i" and a combining dot
            Comic("f/plain.cbz"),
        ],
    )
    names = [c.name for c in metadata_browser.search([2], "ét", ALL).items]
    assert names == ["summer.cbz", "1.cbz", "2.cbz"]  # no series first
    assert [c.title for c in metadata_browser.search([2], "été in", ALL).items] == ["ÉTÉ INDIEN"]
    kelvin = metadata_browser.search([2], "kelvin", ALL)
    assert [c.name for c in kelvin.items] == ["x1.cbz"]
    istanbul = metadata_browser.search([2], "i\u0307stanbul", ALL)
    assert [c.name for c in istanbul.items] == ["x2.cbz"]
    assert metadata_browser.search([2], "plain.CBZ", ALL).total == 1


def test_search_sees_comics_indexed_since_the_last_one(
    metadata_browser: MetadataBrowser, library_index: LibraryIndex, comics_library: Library
) -> None:
    add_comics(library_index, comics_library, [Comic("x/1.cbz", info("Hellboy", "1"))])
    assert metadata_browser.search([1], "hellboy", ALL).total == 1
    add_comics(library_index, comics_library, [Comic("x/2.cbz", info("Hellboy", "2"))])
    again = metadata_browser.search([1], "hellboy", ALL)
    assert ([c.number for c in again.items], again.total) == (["1", "2"], 2)
