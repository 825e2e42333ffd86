"""The MetadataBrowser contract, continued: natural order of groups, names over several
libraries, lists that follow every kind of index write, and search edge cases."""

from __future__ import annotations

import posixpath

import pytest

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import Facet, Sort
from bagboard.domain.catalog import ComicEntry, ComicMove, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.model import Library
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from tests.contract import browse_fixtures
from tests.contract.browse_fixtures import AT, Comic, add_comics, info, later

library_index = browse_fixtures.library_index
metadata_browser = browse_fixtures.metadata_browser
comics_library = browse_fixtures.comics_library
manga_library = browse_fixtures.manga_library

ALL = PageRequest(1, 200)


def keys(page: Page[Facet]) -> list[str]:
    return [facet.key for facet in page.items]


def tagged(library: Library, *rows: tuple[str, str, str]) -> list[Comic]:
    """One comic per (series, publisher, title), numbered in order."""
    return [
        Comic(f"{library.name}/{n:02d}.cbz", info(series, str(n), publisher=publisher, title=t))
        for n, (series, publisher, t) in enumerate(rows, start=1)
    ]


def test_groups_list_in_natural_order(
    library_index: LibraryIndex, metadata_browser: MetadataBrowser, comics_library: Library
) -> None:
    rows = [
        ("Batman 10", "Studio 10", ""),
        ("Batman 2", "Studio 2", ""),
        ("Batman 2", "Studio 2", ""),
        ("batman 1", "studio 1", ""),
        ("Batman", "Studio", ""),
    ]
    add_comics(library_index, comics_library, tagged(comics_library, *rows))
    natural = ["batman", "batman 1", "batman 2", "batman 10"]
    assert keys(metadata_browser.series([1], None, None, Sort.ALPHA, ALL)) == natural
    publishers = metadata_browser.publishers([1], Sort.ALPHA, ALL)
    assert keys(publishers) == ["studio", "studio 1", "studio 2", "studio 10"]
    # Ties on count are in natural order too.
    by_count = ["batman 2", "batman", "batman 1", "batman 10"]
    assert keys(metadata_browser.series([1], None, None, Sort.COUNT, ALL)) == by_count
    publishers = metadata_browser.publishers([1], Sort.COUNT, ALL)
    assert keys(publishers) == ["studio 2", "studio", "studio 1", "studio 10"]
    pages = [
        metadata_browser.series([1], None, None, Sort.ALPHA, PageRequest(n, 3)) for n in (1, 2)
    ]
    assert [keys(page) for page in pages] == [natural[:3], natural[3:]]


def test_names_are_the_most_common_spelling_over_every_visible_library(
    library_index: LibraryIndex,
    metadata_browser: MetadataBrowser,
    comics_library: Library,
    manga_library: Library,
) -> None:
    # Comics: "Saga" wins 2 to 1. Manga: "SAGA" wins 2 to 0. Together: "SAGA", 3 to 2.
    add_comics(
        library_index,
        comics_library,
        tagged(
            comics_library,
            ("Saga", "Image", ""),
            ("Saga", "Image", ""),
            ("SAGA", "IMAGE", ""),
        ),
    )
    add_comics(
        library_index,
        manga_library,
        tagged(manga_library, ("SAGA", "IMAGE", ""), ("SAGA", "IMAGE", "")),
    )
    assert metadata_browser.series([1], None, None, Sort.ALPHA, ALL).items == [
        Facet("saga", "Saga", 3, None, "Image")
    ]
    for publisher in (None, "image"):
        both = metadata_browser.series([1, 2], publisher, None, Sort.ALPHA, ALL)
        assert both.items == [Facet("saga", "SAGA", 5, None, "IMAGE")]
    assert metadata_browser.publishers([1], Sort.ALPHA, ALL).items == [Facet("image", "Image", 3)]
    assert metadata_browser.publishers([1, 2], Sort.ALPHA, ALL).items == [
        Facet("image", "IMAGE", 5)
    ]


def test_a_series_shows_its_largest_publisher_over_every_visible_library(
    library_index: LibraryIndex,
    metadata_browser: MetadataBrowser,
    comics_library: Library,
    manga_library: Library,
) -> None:
    # Comics alone: Marvel 2, DC 1. With Manga's two DC comics: DC 3, Marvel 2.
    crossover = [("Crossover", "Marvel", ""), ("Crossover", "Marvel", ""), ("Crossover", "DC", "")]
    add_comics(library_index, comics_library, tagged(comics_library, *crossover))
    add_comics(
        library_index,
        manga_library,
        tagged(manga_library, ("Crossover", "DC", ""), ("Crossover", "", "")),
    )
    assert metadata_browser.series([1], None, None, Sort.ALPHA, ALL).items[0].publisher == "Marvel"
    both = metadata_browser.series([1, 2], None, None, Sort.ALPHA, ALL)
    assert both.items == [Facet("crossover", "Crossover", 5, None, "DC")]
    marvel = metadata_browser.series([1, 2], "marvel", None, Sort.ALPHA, ALL)
    assert marvel.items == [Facet("crossover", "Crossover", 2, None, "Marvel")]


def _entry(library: Library, path: str, tags: ComicInfo | None, fingerprint: str) -> ComicEntry:
    full = posixpath.join(library.root, path)
    return ComicEntry(full, 100, 2, fingerprint, ArchiveFormat.ZIP, 3, tags)


def test_lists_follow_changes_moves_and_removals(
    library_index: LibraryIndex, metadata_browser: MetadataBrowser, comics_library: Library
) -> None:
    comics = [
        Comic("a/1.cbz", info("Saga", "1", publisher="Image", year="2012"), later(1)),
        Comic("a/2.cbz", info("Saga", "2", publisher="Image", year="2013"), later(2)),
        Comic("a/3.cbz", info("Monstress", "1", publisher="Image", year="2015"), later(3)),
    ]
    add_comics(library_index, comics_library, comics, folders=["b"])
    ids = {
        posixpath.relpath(path, comics_library.root): comic.id
        for path, comic in library_index.snapshot(comics_library.id).comics.items()
    }
    retagged = info("Paper Girls", "1", publisher="IMAGE", year="2015", title="Newsprint")
    moved = _entry(comics_library, "b/two.cbz", comics[1].info, "1:a/2.cbz")
    changes = IndexChanges(
        changed=[(ids["a/1.cbz"], _entry(comics_library, "a/1.cbz", retagged, "new"))],
        moved=[ComicMove(ids["a/2.cbz"], moved)],
        removed_comics=[ids["a/3.cbz"]],
    )
    library_index.apply(comics_library.id, changes, AT)
    series = metadata_browser.series([1], None, None, Sort.ALPHA, ALL)
    assert series.items == [
        Facet("paper girls", "Paper Girls", 1, 2015, "IMAGE"),
        Facet("saga", "Saga", 1, 2013, "Image"),
    ]
    # One "IMAGE", one "Image": a tie goes to the first in code-point order.
    assert metadata_browser.publishers([1], Sort.ALPHA, ALL).items == [Facet("image", "IMAGE", 2)]
    for query, found in (("newsprint", ["paper girls"]), ("two.cbz", ["saga"]), ("2.cbz", [])):
        assert keys(metadata_browser.series([1], "image", query, Sort.ALPHA, ALL)) == found
    library_index.apply(comics_library.id, IndexChanges(removed_comics=list(ids.values())), AT)
    assert metadata_browser.series([1], None, None, Sort.ALPHA, ALL).total == 0
    assert metadata_browser.publishers([1], Sort.ALPHA, ALL).total == 0


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("l'été", ["seasons"]),  # a title in capitals, beyond ASCII
        ("ÉTÉ", ["seasons"]),
        ("winter\x1fspring", ["seasons"]),  # a title holding the search separator
        ("n\x1fl'é", []),  # the end of one title and the start of another
        ("02.CBZ", ["seasons"]),
    ],
)
def test_search_folds_every_letter_and_never_joins_two_titles(
    library_index: LibraryIndex,
    metadata_browser: MetadataBrowser,
    comics_library: Library,
    query: str,
    found: list[str],
) -> None:
    titles = [
        ("Seasons", "", "L'ÉTÉ"),
        ("Seasons", "", "Autumn"),
        ("Seasons", "", "Winter\x1fspring"),
    ]
    add_comics(library_index, comics_library, tagged(comics_library, *titles))
    page = metadata_browser.series([1, 2], None, query, Sort.ALPHA, ALL)
    assert (keys(page), page.total) == (found, len(found))


def test_lists_over_some_libraries_but_not_all(
    library_index: LibraryIndex,
    library_store: LibraryStore,
    metadata_browser: MetadataBrowser,
    comics_library: Library,
    manga_library: Library,
) -> None:
    hidden = library_store.add("BD", "/srv/bd")

    def comic(path: str, series: str, publisher: str, year: str, minutes: int) -> Comic:
        return Comic(path, info(series, "1", publisher=publisher, year=year), later(minutes))

    add_comics(
        library_index,
        comics_library,
        [
            comic("s1.cbz", "SAGA", "IMAGE", "2012", 1),
            comic("s2.cbz", "SAGA", "IMAGE", "2013", 2),
            comic("b1.cbz", "Batman", "DC", "1940", 3),
        ],
    )
    add_comics(
        library_index,
        manga_library,
        [
            *(comic(f"s{n}.cbz", "Saga", "Image", "2014", 3 + n) for n in (1, 2, 3)),
            comic("a1.cbz", "Akira", "Kodansha", "1982", 10),
        ],
    )
    add_comics(
        library_index,
        hidden,
        [comic(f"x{n}.cbz", "SAGA", "IMAGE", "1999", 20 + n) for n in range(5)],
    )
    seen = [comics_library.id, manga_library.id]

    def listed(sort: Sort, page: PageRequest = ALL, publisher: str | None = None) -> Page[Facet]:
        return metadata_browser.series(seen, publisher, None, sort, page)

    saga = Facet("saga", "Saga", 5, 2012, "Image")  # "Saga" 3 to 2, over both libraries
    assert listed(Sort.ALPHA).items == [
        Facet("akira", "Akira", 1, 1982, "Kodansha"),
        Facet("batman", "Batman", 1, 1940, "DC"),
        saga,
    ]
    assert keys(listed(Sort.COUNT)) == ["saga", "akira", "batman"]
    assert keys(listed(Sort.YEAR)) == ["batman", "akira", "saga"]
    assert keys(listed(Sort.RECENT)) == ["akira", "saga", "batman"]
    second = listed(Sort.COUNT, PageRequest(2, 2))
    assert (keys(second), second.total) == (["batman"], 3)
    assert listed(Sort.ALPHA, publisher="image").items == [saga]
    found = metadata_browser.series(seen, None, "akira", Sort.ALPHA, ALL)
    assert (keys(found), found.total) == (["akira"], 1)
    publishers = metadata_browser.publishers(seen, Sort.COUNT, ALL)
    assert [(f.key, f.name, f.count) for f in publishers.items] == [
        ("image", "Image", 5),
        ("dc", "DC", 1),
        ("kodansha", "Kodansha", 1),
    ]
