"""The ProblemList contract, run against every adapter: the index's unreadable files, as the
scanner leaves them (through ``LibraryIndex.apply``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.problems import MemoryProblemList
from bagboard.adapters.storage import SqlProblemList
from bagboard.domain.catalog import ComicEntry, ComicMove, IndexChanges
from bagboard.domain.model import Library
from bagboard.domain.pagination import PageRequest
from bagboard.domain.problems import Problem
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.problems import ProblemList
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import entry, folders_for

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library

T1 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ALL = PageRequest(1, 200)


@pytest.fixture
def problems(backend: Backend, library_index: LibraryIndex) -> ProblemList:
    def memory() -> ProblemList:
        assert isinstance(library_index, MemoryLibraryIndex)
        return MemoryProblemList(library_index)

    return backend.pick(memory, SqlProblemList)


def broken(path: str, error: str = "not a comic archive") -> ComicEntry:
    return replace(entry(path), format=None, page_count=0, error=error)


def index(
    index: LibraryIndex, library: Library, entries: list[ComicEntry], at: datetime = T1
) -> dict[str, int]:
    folders = folders_for(library, *{e.folder_path for e in entries})
    index.apply(library.id, IndexChanges(folders=folders, added=[(e, at) for e in entries]), at)
    comics = index.snapshot(library.id).comics
    return {e.path: comics[e.path].id for e in entries}


def test_nothing_unreadable_lists_nothing(
    problems: ProblemList, library_index: LibraryIndex, comics_library: Library
) -> None:
    index(library_index, comics_library, [entry("/srv/comics/a.cbz")])
    listed = problems.list([comics_library.id], ALL)
    assert (list(listed.items), listed.total) == ([], 0)
    assert problems.count(comics_library.id) == 0
    assert problems.count(999) == 0


def test_unreadable_files_are_listed_by_library_then_path(
    problems: ProblemList,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
) -> None:
    ids = index(
        library_index,
        comics_library,
        [
            broken("/srv/comics/b.cbz", "truncated"),
            entry("/srv/comics/ok.cbz"),
            broken("/srv/comics/B.cbz"),
            broken("/srv/comics/a/z.cbz"),
        ],
    )
    manga = index(library_index, manga_library, [broken("/srv/manga/m.cbz")], at=T2)
    listed = problems.list([manga_library.id, comics_library.id], ALL)
    assert listed.total == 4
    assert list(listed.items) == [
        # Code point order: upper case before lower case, "/" before letters.
        Problem(ids["/srv/comics/B.cbz"], comics_library.id, "/srv/comics/B.cbz",
                "not a comic archive", T1),
        Problem(ids["/srv/comics/a/z.cbz"], comics_library.id, "/srv/comics/a/z.cbz",
                "not a comic archive", T1),
        Problem(ids["/srv/comics/b.cbz"], comics_library.id, "/srv/comics/b.cbz", "truncated", T1),
        Problem(manga["/srv/manga/m.cbz"], manga_library.id, "/srv/manga/m.cbz",
                "not a comic archive", T2),
    ]  # fmt: skip
    assert problems.count(comics_library.id) == 3
    assert problems.count(manga_library.id) == 1


def test_only_the_libraries_asked_for_are_listed(
    problems: ProblemList,
    library_index: LibraryIndex,
    comics_library: Library,
    manga_library: Library,
) -> None:
    index(library_index, comics_library, [broken("/srv/comics/a.cbz")])
    index(library_index, manga_library, [broken("/srv/manga/m.cbz")])
    assert [p.path for p in problems.list([manga_library.id], ALL).items] == ["/srv/manga/m.cbz"]
    empty = problems.list([], ALL)
    assert (list(empty.items), empty.total) == ([], 0)


def test_pages_split_the_list_and_total_counts_them_all(
    problems: ProblemList, library_index: LibraryIndex, comics_library: Library
) -> None:
    paths = [f"/srv/comics/{n:02}.cbz" for n in range(5)]
    index(library_index, comics_library, [broken(p) for p in paths])
    first = problems.list([comics_library.id], PageRequest(1, 2))
    last = problems.list([comics_library.id], PageRequest(3, 2))
    assert [p.path for p in first.items] == paths[:2]
    assert [p.path for p in last.items] == paths[4:]
    assert (first.total, last.total, first.has_more, last.has_more) == (5, 5, True, False)


def test_a_file_read_again_leaves_the_list_and_a_moved_one_keeps_its_reason(
    problems: ProblemList, library_index: LibraryIndex, comics_library: Library
) -> None:
    ids = index(
        library_index, comics_library, [broken("/srv/comics/a.cbz"), broken("/srv/comics/b.cbz")]
    )
    fixed = entry("/srv/comics/a.cbz", size=2000)
    moved = broken("/srv/comics/c.cbz")
    changes = IndexChanges(
        changed=[(ids["/srv/comics/a.cbz"], fixed)],
        moved=[ComicMove(ids["/srv/comics/b.cbz"], moved)],
    )
    library_index.apply(comics_library.id, changes, T2)
    assert list(problems.list([comics_library.id], ALL).items) == [
        Problem(ids["/srv/comics/b.cbz"], comics_library.id, "/srv/comics/c.cbz",
                "not a comic archive", T2)
    ]  # fmt: skip
    assert problems.count(comics_library.id) == 1
