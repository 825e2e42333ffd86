"""The ``library_index`` fixture, parametrised over every ``LibraryIndex`` adapter.

The suite indexes two libraries, ``LIBRARIES``: an adapter that checks library ids (a SQL
index has a foreign key to the libraries table) must find both before the test starts, so a
new parameter creates them in its own store. Add a backend by appending its name to
``INDEX_BACKENDS`` and a branch to ``library_index``; the tests never look at the kind.
"""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex

LIBRARIES = (
    Library(id=1, name="Comics", root="/srv/comics"),
    Library(id=2, name="Manga", root="/srv/manga"),
)

INDEX_BACKENDS = ["memory"]


@pytest.fixture(params=INDEX_BACKENDS)
def library_index(request: pytest.FixtureRequest) -> LibraryIndex:
    kind: str = request.param
    if kind == "memory":
        return MemoryLibraryIndex()
    raise AssertionError(f"no LibraryIndex fixture for {kind!r}")


@pytest.fixture
def comics_library() -> Library:
    return LIBRARIES[0]


@pytest.fixture
def manga_library() -> Library:
    return LIBRARIES[1]
