"""The ``library_index`` fixture, parametrised over every ``LibraryIndex`` adapter.

The suite indexes two libraries, ``LIBRARIES``: an adapter that checks library ids (a SQL
index has a foreign key to the libraries table) must find both before the test starts, so
the fixture creates them in the backend's library store. The backends are those of the
``backend`` fixture (memory, sqlite, postgresql); the tests never look at the kind.
"""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.storage import SqlLibraryIndex
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from tests.contract.conftest import Backend

LIBRARIES = (
    Library(id=1, name="Comics", root="/srv/comics"),
    Library(id=2, name="Manga", root="/srv/manga"),
)


@pytest.fixture
def library_index(backend: Backend, library_store: LibraryStore) -> LibraryIndex:
    for library in LIBRARIES:
        assert library_store.add(library.name, library.root) == library
    return backend.pick(MemoryLibraryIndex, SqlLibraryIndex)


@pytest.fixture
def comics_library() -> Library:
    return LIBRARIES[0]


@pytest.fixture
def manga_library() -> Library:
    return LIBRARIES[1]
