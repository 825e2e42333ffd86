"""The StoryArcs contract, run against every adapter.

Comics reach the index through ``LibraryIndex.apply`` as a scan writes them, with their
ComicInfo's ``StoryArc`` and ``StoryArcNumber``; the arcs are read back as a reader sees them,
limited to the libraries asked for.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.story_arcs import MemoryStoryArcs
from bagboard.adapters.storage import SqlStoryArcs
from bagboard.domain.catalog import ComicEntry, ComicMove, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.model import Library
from bagboard.domain.pagination import PageRequest
from bagboard.domain.story_arcs import StoryArc
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.story_arcs import StoryArcs
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import add, entry, folders_for

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
ALL = PageRequest(1, 200)
BOTH = (1, 2)


@pytest.fixture
def story_arcs(backend: Backend, library_index: LibraryIndex) -> StoryArcs:
    return backend.pick(lambda: memory_arcs(library_index), SqlStoryArcs)


def memory_arcs(library_index: LibraryIndex) -> MemoryStoryArcs:
    assert isinstance(library_index, MemoryLibraryIndex)
    return MemoryStoryArcs(library_index)


def arced(
    library: Library,
    name: str,
    arc: str,
    number: str = "",
    *,
    issue: str = "",
    year: str = "",
    size: int = 1000,
) -> ComicEntry:
    info = ComicInfo(
        series="Event", number=issue, year=year, story_arc=arc, story_arc_number=number
    )
    return entry(f"{library.root}/Event/{name}.cbz", size=size, info=info)


def index(index: LibraryIndex, library: Library, *entries: ComicEntry) -> list[int]:
    ids = add(index, library, *entries)
    return [ids[e.path] for e in entries]


def comic_ids(arcs: StoryArcs, arc_id: int, libraries: tuple[int, ...] = BOTH) -> list[int]:
    page = arcs.comics(arc_id, libraries, ALL)
    assert page.total == len(page.items)
    return [row.id for row in page.items]


def arc_named(arcs: StoryArcs, name: str, libraries: tuple[int, ...] = BOTH) -> StoryArc:
    return next(arc for arc in arcs.arcs(libraries, ALL).items if arc.name == name)


def test_nothing_tagged_means_no_arcs(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    add(library_index, comics_library, entry(f"{root}/a.cbz"), entry(f"{root}/b.cbz"))
    assert story_arcs.arcs(BOTH, ALL).total == 0
    assert story_arcs.arcs(BOTH, ALL).items == []
    assert story_arcs.get(1, BOTH) is None
    assert story_arcs.comics(1, BOTH, ALL).items == []


def test_a_comic_in_several_arcs_reads_in_each_by_its_number(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    both, first, unnumbered = index(
        library_index,
        lib,
        arced(lib, "cw3", "Civil War, Road to Civil War", "3, 7"),
        arced(lib, "cw1", "Civil War", "1"),
        # The second arc has no number: it reads after the numbered parts.
        arced(lib, "cw2", "Civil War, Road to Civil War", "2"),
    )
    page = story_arcs.arcs(BOTH, ALL)
    assert [(arc.name, arc.comics) for arc in page.items] == [
        ("Civil War", 3),
        ("Road to Civil War", 2),
    ]
    assert page.total == 2
    civil_war, road = page.items
    assert comic_ids(story_arcs, civil_war.id) == [first, unnumbered, both]
    assert comic_ids(story_arcs, road.id) == [both, unnumbered]
    assert civil_war.first_comic_id == first
    assert road.first_comic_id == both
    assert story_arcs.get(road.id, BOTH) == road
    assert story_arcs.arcs_of(both, BOTH) == [civil_war, road]
    assert story_arcs.arcs_of(first, BOTH) == [civil_war]


def test_an_arc_named_twice_on_a_comic_counts_once_with_its_first_number(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    twice, other = index(
        library_index,
        lib,
        arced(lib, "twice", "Secret Wars, SECRET WARS", "9, 1"),
        arced(lib, "other", "Secret Wars", "5"),
    )
    (arc,) = story_arcs.arcs(BOTH, ALL).items
    assert arc.comics == 2
    assert comic_ids(story_arcs, arc.id) == [other, twice]
    assert story_arcs.arcs_of(twice, BOTH) == [arc]


def test_spellings_of_one_arc_group_together_under_the_most_common(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    index(
        library_index,
        lib,
        arced(lib, "a", "Age of  Apocalypse", "1"),
        arced(lib, "b", "age of apocalypse", "2"),
        arced(lib, "c", "age of apocalypse", "3"),
    )
    (arc,) = story_arcs.arcs(BOTH, ALL).items
    assert (arc.name, arc.comics) == ("age of apocalypse", 3)


def test_arcs_are_limited_to_the_libraries_asked_for(
    story_arcs: StoryArcs,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
) -> None:
    (here,) = index(library_index, comics_library, arced(comics_library, "x", "Crossover", "2"))
    there, elsewhere = index(
        library_index,
        manga_library,
        arced(manga_library, "y", "CROSSOVER", "1"),
        arced(manga_library, "z", "Manga Only", "1"),
    )
    crossover = arc_named(story_arcs, "CROSSOVER", (2,))
    assert crossover.comics == 1
    assert crossover.first_comic_id == there
    assert comic_ids(story_arcs, crossover.id, (1,)) == [here]
    assert comic_ids(story_arcs, crossover.id) == [there, here]
    # One spelling each: the tie goes to the first in code-point order.
    assert story_arcs.get(crossover.id, BOTH) == StoryArc(crossover.id, "CROSSOVER", 2, there)
    assert story_arcs.get(crossover.id, (1,)) == StoryArc(crossover.id, "Crossover", 1, here)
    manga_only = arc_named(story_arcs, "Manga Only")
    assert [arc.name for arc in story_arcs.arcs((1,), ALL).items] == ["Crossover"]
    assert story_arcs.get(manga_only.id, (1,)) is None
    assert story_arcs.comics(manga_only.id, (1,), ALL).total == 0
    assert story_arcs.arcs_of(elsewhere, (1,)) == []
    assert story_arcs.arcs((), ALL).total == 0
    assert story_arcs.get(crossover.id, ()) is None
    assert story_arcs.arcs_of(here, ()) == []


def test_arcs_list_in_natural_key_order_a_page_at_a_time(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    names = ["Arc 10", "arc 2", "Arc 1", "Beta", "alpha"]
    index(library_index, lib, *(arced(lib, f"c{i}", name) for i, name in enumerate(names)))
    listed = [arc.name for arc in story_arcs.arcs(BOTH, ALL).items]
    assert listed == ["alpha", "Arc 1", "arc 2", "Arc 10", "Beta"]
    second = story_arcs.arcs(BOTH, PageRequest(2, 2))
    assert [arc.name for arc in second.items] == ["arc 2", "Arc 10"]
    assert second.total == 5
    last = story_arcs.arcs(BOTH, PageRequest(3, 2))
    assert ([arc.name for arc in last.items], last.total) == (["Beta"], 5)
    beyond = story_arcs.arcs(BOTH, PageRequest(4, 2))
    assert (beyond.items, beyond.total) == ([], 5)


def test_ties_read_by_year_then_issue_number_then_id(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    ids = index(
        library_index,
        lib,
        arced(lib, "no-year", "Saga", "1", issue="1"),
        arced(lib, "late", "Saga", "1", issue="1", year="1999"),
        arced(lib, "early-10", "Saga", "1", issue="10", year="1990"),
        arced(lib, "early-2", "Saga", "1", issue="2", year="1990"),
        arced(lib, "twin-a", "Saga", "1", issue="2", year="1990"),
        arced(lib, "part", "Saga", "0.5", issue="99", year="2020"),
        arced(lib, "unnumbered", "Saga", "", issue="1", year="1980"),
    )
    no_year, late, early_10, early_2, twin, part, unnumbered = ids
    (arc,) = story_arcs.arcs(BOTH, ALL).items
    expected = [part, early_2, twin, early_10, late, no_year, unnumbered]
    assert comic_ids(story_arcs, arc.id) == expected
    assert arc.first_comic_id == part
    window = story_arcs.comics(arc.id, BOTH, PageRequest(2, 3))
    assert ([row.id for row in window.items], window.total) == (expected[3:6], 7)


def test_a_changed_comic_leaves_its_old_arcs(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    comic, other = index(
        library_index,
        lib,
        arced(lib, "a", "Old Arc, Kept Arc", "1, 1"),
        arced(lib, "b", "Old Arc", "2"),
    )
    old = arc_named(story_arcs, "Old Arc")
    rewritten = arced(lib, "a", "Kept Arc, New Arc", "4, 1", size=2000)
    library_index.apply(lib.id, IndexChanges(changed=[(comic, rewritten)]), AT)
    assert [arc.name for arc in story_arcs.arcs_of(comic, BOTH)] == ["Kept Arc", "New Arc"]
    assert comic_ids(story_arcs, old.id) == [other]
    assert story_arcs.get(old.id, BOTH) == StoryArc(old.id, "Old Arc", 1, other)
    untagged = entry(rewritten.path, size=3000)
    library_index.apply(lib.id, IndexChanges(changed=[(comic, untagged)]), AT)
    assert story_arcs.arcs_of(comic, BOTH) == []
    assert [arc.name for arc in story_arcs.arcs(BOTH, ALL).items] == ["Old Arc"]


def test_a_moved_comic_keeps_its_arcs(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    (comic,) = index(library_index, lib, arced(lib, "a", "Journey", "3"))
    before = story_arcs.arcs_of(comic, BOTH)
    moved = arced(lib, "renamed", "Journey", "3")
    changes = IndexChanges(
        folders=folders_for(lib, moved.folder_path), moved=[ComicMove(comic, moved)]
    )
    library_index.apply(lib.id, changes, AT)
    assert story_arcs.arcs_of(comic, BOTH) == before
    (row,) = story_arcs.comics(before[0].id, BOTH, ALL).items
    assert (row.id, row.path) == (comic, moved.path)


def test_removed_comics_leave_their_arcs_and_an_arc_keeps_its_id(
    story_arcs: StoryArcs, library_index: LibraryIndex, comics_library: Library
) -> None:
    lib = comics_library
    first, second = index(
        library_index,
        lib,
        arced(lib, "a", "Fading", "1"),
        arced(lib, "b", "Fading, Staying", "2, 1"),
    )
    fading = arc_named(story_arcs, "Fading")
    library_index.apply(lib.id, IndexChanges(removed_comics=[first]), AT)
    assert comic_ids(story_arcs, fading.id) == [second]
    library_index.apply(lib.id, IndexChanges(removed_comics=[second]), AT)
    assert story_arcs.get(fading.id, BOTH) is None
    assert story_arcs.arcs(BOTH, ALL).total == 0
    assert story_arcs.arcs_of(second, BOTH) == []
    (again,) = index(library_index, lib, arced(lib, "c", "FADING", "1"))
    assert story_arcs.get(fading.id, BOTH) == StoryArc(fading.id, "FADING", 1, again)
