"""The PageCatalog contract, run against every adapter (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.pages import MemoryPageCatalog
from bagboard.adapters.storage.index.pages import SqlPageCatalog
from bagboard.domain.catalog import IndexChanges
from bagboard.domain.images import FileStamp, PageInfo
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.page_catalog import PageCatalog
from tests.contract import index_fixtures
from tests.contract.conftest import Backend
from tests.contract.test_library_index import LATER, add, entry

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library

STAMP = FileStamp(1000, 1_700_000_000_123_456_789)
PAGES = (
    PageInfo(1, "p001.jpg", 1988, 3056, 812_345, "image/jpeg"),
    PageInfo(2, "sub/été 02.png", 1200, 900, 45, "image/png"),
    PageInfo(3, "broken.webp", 0, 0, 3, "image/webp"),
)


@pytest.fixture
def catalog(backend: Backend, library_index: LibraryIndex) -> PageCatalog:
    return backend.pick(lambda: MemoryPageCatalog(library_index), SqlPageCatalog)


@pytest.fixture
def comic_id(library_index: LibraryIndex, comics_library: Library) -> int:
    path = f"{comics_library.root}/a.cbz"
    return add(library_index, comics_library, entry(path))[path]


def test_nothing_is_stored_at_first(catalog: PageCatalog, comic_id: int) -> None:
    assert catalog.pages(comic_id, STAMP) is None


def test_a_saved_list_comes_back_in_order(catalog: PageCatalog, comic_id: int) -> None:
    catalog.save(comic_id, STAMP, PAGES)
    assert catalog.pages(comic_id, STAMP) == PAGES


def test_another_version_of_the_file_finds_nothing_until_saved(
    catalog: PageCatalog, comic_id: int
) -> None:
    catalog.save(comic_id, STAMP, PAGES)
    newer = FileStamp(1000, STAMP.mtime_ns + 1)
    assert catalog.pages(comic_id, newer) is None
    assert catalog.pages(comic_id, FileStamp(999, STAMP.mtime_ns)) is None
    catalog.save(comic_id, newer, PAGES[:1])
    assert catalog.pages(comic_id, newer) == PAGES[:1]
    assert catalog.pages(comic_id, STAMP) is None


def test_an_empty_list_is_a_stored_answer(catalog: PageCatalog, comic_id: int) -> None:
    catalog.save(comic_id, STAMP, [])
    assert catalog.pages(comic_id, STAMP) == ()


def test_a_comic_that_is_not_indexed_keeps_nothing(catalog: PageCatalog) -> None:
    catalog.save(987_654, STAMP, PAGES)
    assert catalog.pages(987_654, STAMP) is None


def test_a_removed_comic_takes_its_list_along(
    catalog: PageCatalog, library_index: LibraryIndex, comics_library: Library, comic_id: int
) -> None:
    catalog.save(comic_id, STAMP, PAGES)
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[comic_id]), LATER)
    assert catalog.pages(comic_id, STAMP) is None
