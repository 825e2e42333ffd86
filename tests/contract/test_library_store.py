"""The LibraryStore contract, run against every adapter."""

from __future__ import annotations

import pytest

from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Library
from bagboard.ports.library_store import LibraryStore


def test_add_returns_an_enabled_library_found_by_id_and_root(
    library_store: LibraryStore,
) -> None:
    library = library_store.add("Comics", "/srv/comics")
    assert (library.name, library.root, library.enabled) == ("Comics", "/srv/comics", True)
    assert library_store.get(library.id) == library
    assert library_store.get_by_root("/srv/comics") == library


def test_unknown_libraries_are_none(library_store: LibraryStore) -> None:
    library_store.add("Comics", "/srv/comics")
    assert library_store.get(999_999) is None
    assert library_store.get_by_root("/srv/other") is None
    assert library_store.get_by_root("/srv/comics/") is None  # roots match exactly


def test_a_duplicate_root_is_refused_and_leaves_nothing(library_store: LibraryStore) -> None:
    first = library_store.add("Comics", "/srv/comics")
    with pytest.raises(AlreadyExists):
        library_store.add("Again", "/srv/comics")
    assert library_store.list() == [first]


def test_names_need_not_be_unique(library_store: LibraryStore) -> None:
    a = library_store.add("Comics", "/a/comics")
    b = library_store.add("Comics", "/b/comics")
    assert a.id != b.id
    assert library_store.list() == [a, b]


def test_list_is_in_creation_order(library_store: LibraryStore) -> None:
    added = [library_store.add(name, f"/srv/{name}") for name in ("zines", "comics", "manga")]
    assert library_store.list() == added
    assert library_store.list(enabled_only=True) == added


def test_list_is_empty_without_libraries(library_store: LibraryStore) -> None:
    assert library_store.list() == []
    assert library_store.list(enabled_only=True) == []


def test_set_enabled_updates_and_returns_the_library(library_store: LibraryStore) -> None:
    comics = library_store.add("Comics", "/srv/comics")
    manga = library_store.add("Manga", "/srv/manga")
    disabled = library_store.set_enabled(comics.id, False)
    assert disabled == Library(comics.id, "Comics", "/srv/comics", enabled=False)
    assert library_store.get(comics.id) == disabled
    assert library_store.get_by_root("/srv/comics") == disabled
    assert library_store.list() == [disabled, manga]
    assert library_store.list(enabled_only=True) == [manga]
    assert library_store.set_enabled(comics.id, True) == comics
    assert library_store.list(enabled_only=True) == [comics, manga]


def test_set_enabled_is_idempotent(library_store: LibraryStore) -> None:
    comics = library_store.add("Comics", "/srv/comics")
    assert library_store.set_enabled(comics.id, True) == comics


def test_set_enabled_on_an_unknown_library_is_none(library_store: LibraryStore) -> None:
    assert library_store.set_enabled(999_999, False) is None
    assert library_store.list() == []


def test_remove_returns_the_library_and_forgets_it(library_store: LibraryStore) -> None:
    comics = library_store.add("Comics", "/srv/comics")
    manga = library_store.add("Manga", "/srv/manga")
    library_store.set_enabled(comics.id, False)
    removed = library_store.remove(comics.id)
    assert removed == Library(comics.id, "Comics", "/srv/comics", enabled=False)
    assert library_store.get(comics.id) is None
    assert library_store.get_by_root("/srv/comics") is None
    assert library_store.list() == [manga]
    assert library_store.remove(comics.id) is None


def test_remove_of_an_unknown_library_is_none(library_store: LibraryStore) -> None:
    comics = library_store.add("Comics", "/srv/comics")
    assert library_store.remove(999_999) is None
    assert library_store.list() == [comics]


def test_a_removed_root_may_be_added_again(library_store: LibraryStore) -> None:
    first = library_store.add("Comics", "/srv/comics")
    other = library_store.add("Manga", "/srv/manga")
    library_store.remove(first.id)
    again = library_store.add("Comics", "/srv/comics")
    assert again.id != other.id
    assert library_store.get_by_root("/srv/comics") == again
    assert library_store.get(again.id) == again
