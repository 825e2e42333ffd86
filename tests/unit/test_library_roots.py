"""A folder belongs to one library at most: nested or enclosing roots are refused."""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.domain.errors import InvalidPath
from bagboard.domain.library_roots import overlapping, within
from bagboard.services.libraries import LibraryService


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/srv/comics", "/srv/comics", True),
        ("/srv/comics/Marvel", "/srv/comics", True),
        ("/srv/comics-old", "/srv/comics", False),  # a shared prefix is not a parent
        ("/srv", "/srv/comics", False),
        ("/anything", "/", True),
    ],
)
def test_within(path: str, root: str, expected: bool) -> None:
    assert within(path, root) is expected


def test_overlapping_names_the_library_either_way() -> None:
    roots = ["/srv/manga", "/srv/comics"]
    assert overlapping("/srv/comics/Marvel", roots) == "/srv/comics"
    assert overlapping("/srv", roots) == "/srv/manga"
    assert overlapping("/srv/comics-old", roots) is None
    assert overlapping("/srv/comics/../books", roots) is None


def test_a_library_inside_or_around_another_is_refused_with_one_clear_line() -> None:
    service = LibraryService(MemoryLibraryStore())
    service.add("/srv/comics", "Comics")
    with pytest.raises(InvalidPath) as inside:
        service.add("/srv/comics/Marvel")
    assert inside.value.message == (
        "that folder is inside the library 'Comics' (/srv/comics): "
        "a folder can be in one library only"
    )
    with pytest.raises(InvalidPath, match="around the library 'Comics'"):
        service.add("/srv")
    # Neighbours are fine, and nothing was added by the refusals.
    assert service.add("/srv/comics-old").root == "/srv/comics-old"
    assert [lib.root for lib in service.list()] == ["/srv/comics", "/srv/comics-old"]


def test_a_disabled_library_still_owns_its_folder() -> None:
    service = LibraryService(MemoryLibraryStore())
    service.add("/srv/comics")
    service.set_enabled("/srv/comics", False)
    with pytest.raises(InvalidPath):
        service.add("/srv/comics/Marvel")
