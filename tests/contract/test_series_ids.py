"""The SeriesIds contract, run against every adapter."""

from __future__ import annotations

import pytest

from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.series_ids import MemorySeriesIds
from bagboard.domain.model import Library
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.series_ids import SeriesIds


@pytest.fixture
def libs(library_store: LibraryStore) -> tuple[Library, Library]:
    return library_store.add("A", "/comics/a"), library_store.add("B", "/comics/b")


def test_ids_are_assigned_once_and_kept(
    series_ids: SeriesIds, libs: tuple[Library, Library]
) -> None:
    a, b = libs
    first = series_ids.ids([(a.id, "saga"), (a.id, "batman"), (b.id, "saga")])
    assert len(set(first.values())) == 3
    again = series_ids.ids([(b.id, "saga"), (a.id, "saga"), (a.id, "invincible")])
    assert again[(a.id, "saga")] == first[(a.id, "saga")]
    assert again[(b.id, "saga")] == first[(b.id, "saga")]
    assert again[(a.id, "invincible")] not in first.values()


def test_key_reads_an_id_back(series_ids: SeriesIds, libs: tuple[Library, Library]) -> None:
    a, _ = libs
    ids = series_ids.ids([(a.id, "saga"), (a.id, "saga")])
    assert list(ids) == [(a.id, "saga")]
    assert series_ids.key(ids[(a.id, "saga")]) == (a.id, "saga")
    assert series_ids.key(999_999) is None


def test_an_empty_request_assigns_nothing(series_ids: SeriesIds) -> None:
    assert series_ids.ids([]) == {}


def test_many_keys_in_one_call(series_ids: SeriesIds, libs: tuple[Library, Library]) -> None:
    a, _ = libs
    keys = [(a.id, f"series {n}") for n in range(1000)]
    ids = series_ids.ids(keys)
    assert len(set(ids.values())) == 1000
    assert series_ids.ids(keys) == ids


def test_a_removed_library_takes_its_ids_along(
    series_ids: SeriesIds, library_store: LibraryStore
) -> None:
    # The memory stores follow a removal as SQL cascades do: the library store tells them.
    if isinstance(series_ids, MemorySeriesIds):
        library_store = MemoryLibraryStore(series_ids)
    a, b = library_store.add("A", "/comics/a"), library_store.add("B", "/comics/b")
    # Read twice before the removal: an id remembered by the adapter must not outlive it.
    ids = series_ids.ids([(a.id, "saga"), (b.id, "saga")])
    assert series_ids.ids([(a.id, "saga")]) == {(a.id, "saga"): ids[(a.id, "saga")]}
    assert series_ids.key(ids[(a.id, "saga")]) == (a.id, "saga")

    library_store.remove(a.id)

    assert series_ids.key(ids[(a.id, "saga")]) is None
    assert series_ids.key(ids[(b.id, "saga")]) == (b.id, "saga")
