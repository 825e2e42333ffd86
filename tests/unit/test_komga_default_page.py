"""Komga's default series list of one library reads one page of the index's series groups;
each such page must be the matching slice of the list the general path sorts in full."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.services.series_catalog import SeriesCatalog
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kjson


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


def _general(world: World, library_id: int, **params: Any) -> dict[str, Any]:
    """The whole list through the general path (unpaged: every series sorted here)."""
    page: dict[str, Any] = kjson(
        world, "/api/v1/series", library_id=library_id, unpaged="true", **params
    )
    return page


@pytest.mark.parametrize("sort", [None, "metadata.titleSort,asc", "name,asc"])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 20])
def test_default_pages_are_slices_of_the_general_list(
    world: World, monkeypatch: pytest.MonkeyPatch, size: int, sort: str | None
) -> None:
    extra = {} if sort is None else {"sort": sort}
    for library in (world.lib_a, world.lib_b):
        whole = _general(world, library.id, **extra)
        total = whole["totalElements"]
        assert total >= 2, "the world should give each library several series"

        def listed_in_full(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the default page listed every series")

        with monkeypatch.context() as patched:
            patched.setattr(SeriesCatalog, "_facets", listed_in_full)
            pages = [
                kjson(world, "/api/v1/series", library_id=library.id, page=n, size=size, **extra)
                for n in range(-(-total // size) + 1)
            ]
        for number, page in enumerate(pages):
            assert page["totalElements"] == total
            assert page["content"] == whole["content"][number * size : (number + 1) * size]
        assert [s["id"] for p in pages for s in p["content"]] == [s["id"] for s in whole["content"]]


def test_filtered_and_other_sorts_keep_the_general_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = SeriesCatalog._facets

    def counted(self: SeriesCatalog, library_id: int, search: str | None) -> Any:
        calls.append(library_id)
        return original(self, library_id, search)

    monkeypatch.setattr(SeriesCatalog, "_facets", counted)
    library = world.lib_a.id
    for params in (
        {"sort": "metadata.titleSort,desc"},
        {"sort": "booksCount,desc"},
        {"read_status": "UNREAD"},
        {"search": "spider"},
        {"page": 0, "size": 7, "sort": "random"},
    ):
        calls.clear()
        kjson(world, "/api/v1/series", library_id=library, **params)
        assert calls == [library], params


@pytest.mark.parametrize("path", ["/api/v1/series/new", "/api/v1/series/updated"])
@pytest.mark.parametrize("size", [1, 2, 3, 20])
def test_newest_series_pages_are_slices_of_the_general_list(
    world: World, monkeypatch: pytest.MonkeyPatch, size: int, path: str
) -> None:
    for library in (world.lib_a, world.lib_b):
        whole = kjson(world, path, library_id=library.id, unpaged="true")
        total = whole["totalElements"]
        assert total >= 2

        def listed_in_full(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the newest series listed every series")

        with monkeypatch.context() as patched:
            patched.setattr(SeriesCatalog, "_facets", listed_in_full)
            pages = [
                kjson(world, path, library_id=library.id, page=n, size=size, oneshot="false")
                for n in range(-(-total // size) + 1)
            ]
        shown = [s["id"] for p in pages for s in p["content"]]
        assert shown == [s["id"] for s in whole["content"]]
        for number, page in enumerate(pages):
            assert page["totalElements"] == total
            assert page["content"] == whole["content"][number * size : (number + 1) * size]
        # Newest first: the date each is listed by never grows down the list.
        newest = [max(book["created"] for book in _books(world, s["id"])) for s in whole["content"]]
        assert newest == sorted(newest, reverse=True)


def _books(world: World, series_id: str) -> list[dict[str, Any]]:
    books: list[dict[str, Any]] = kjson(world, f"/api/v1/series/{series_id}/books", unpaged="true")[
        "content"
    ]
    return books
