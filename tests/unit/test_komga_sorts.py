"""``relevance`` (series and books) and ``booksMetadata.releaseDate`` (series) over a real
scanned collection (the browse world plus the tagged library), on every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.adapters.http.komga.relevance import NO_MATCH, rank
from bagboard.domain.model import Library
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kjson
from tests.unit.komga_tagged import add_tagged_library


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def lib_c(world: World, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return add_tagged_library(world, tmp_path_factory)


def _series(world: World, **params: Any) -> list[str]:
    page = kjson(world, "/api/v1/series", unpaged="true", **params)
    return [series["name"] for series in page["content"]]


def _searched(world: World, search: str, **params: Any) -> list[str]:
    world.client.cookies.clear()
    response = world.client.post(
        "/komga/api/v1/series/list",
        params=params,
        json={"condition": {"allOf": []}, "fullTextSearch": search},
        headers={"X-API-Key": world.owner},
    )
    assert response.status_code == 200, response.text
    return [series["name"] for series in response.json()["content"]]


def _books(world: World, **params: Any) -> list[str]:
    page = kjson(world, "/api/v1/books", unpaged="true", **params)
    return [book["name"] for book in page["content"]]


def test_rank_is_exact_then_prefix_then_substring() -> None:
    assert rank("thing", "Thing") == 0
    assert rank("thing", "Things to Come") == 1
    assert rank("thing", "Swamp Thing") == 2
    assert rank("thing", "Batman") == NO_MATCH
    assert rank("dusk", "Night Tales 01", "Dusk") == 0  # the best of the texts


def test_series_relevance_puts_the_exact_title_first(world: World, lib_c: Library) -> None:
    assert _series(world, search="thing", sort="metadata.titleSort,asc") == [
        "Swamp Thing", "Thing",
    ]  # fmt: skip
    assert _series(world, search="thing", sort="relevance,asc") == ["Thing", "Swamp Thing"]
    assert _series(world, search="thing") == ["Thing", "Swamp Thing"]  # no sort: relevance
    assert _searched(world, "THING", sort="relevance,asc") == ["Thing", "Swamp Thing"]
    # A prefix before the substrings, which keep the default (name) order.
    assert _series(world, search="t", sort="relevance,asc") == [
        "Thing", "Batman", "Contes", "Fixture Series", "Night Tales", "Swamp Thing",
    ]  # fmt: skip
    paged = kjson(world, "/api/v1/series", search="thing", sort="relevance", size=1, page=1)
    assert paged["totalElements"] == 2 and [s["name"] for s in paged["content"]] == ["Swamp Thing"]
    # Without a search, relevance is the default order.
    assert _series(world, sort="relevance,asc") == _series(world)


def test_series_by_earliest_release_year(world: World, lib_c: Library) -> None:
    def dated(**params: Any) -> list[tuple[str, Any]]:
        page = kjson(world, "/api/v1/series", unpaged="true", **params)
        return [(s["name"], s["booksMetadata"]["releaseDate"]) for s in page["content"]]

    ascending = dated(sort="booksMetadata.releaseDate,asc")
    descending = dated(sort="booksMetadata.releaseDate,desc")
    for rows, backwards in ((ascending, False), (descending, True)):
        days = [day for _, day in rows if day is not None]
        assert days == sorted(days, reverse=backwards) and len(days) == 12
        assert {name for name, day in rows[len(days) :]} == {"Invincible", "Jughead", "Thing"}
    assert ascending[0] == ("Amazing Spider-Man", "1963-01-01")
    assert descending[:3] == [
        ("Batman", "2020-01-01"), ("Night Tales", "2019-01-01"), ("Contes", "2018-01-01"),
    ]  # fmt: skip
    # Night Tales' earliest year is 2019 though one of its books is from this year.
    grim = dated(sort="booksMetadata.releaseDate,asc", library_id=str(lib_c.id))
    assert grim == [("Contes", "2018-01-01"), ("Night Tales", "2019-01-01")]
    body = {"condition": {"allOf": [{"libraryId": {"operator": "is", "value": str(lib_c.id)}}]}}
    world.client.cookies.clear()
    posted = world.client.post(
        "/komga/api/v1/series/list",
        params={"sort": "booksMetadata.releaseDate,desc"},
        json=body,
        headers={"X-API-Key": world.owner},
    ).json()
    assert [s["name"] for s in posted["content"]] == ["Night Tales", "Contes"]


def test_book_relevance(world: World, lib_c: Library) -> None:
    assert _books(world, search="thing", sort="relevance,asc") == [
        "Thing 01", "Thing 01",
        "Swamp Thing 001 (1972)", "Swamp Thing 001 (1985)", "Swamp Thing 002 (1985)",
    ]  # fmt: skip
    assert _books(world, search="thing") == _books(world, search="thing", sort="relevance")
    assert _books(world, search="thing", sort="name,asc")[0] == "Swamp Thing 001 (1972)"
    # Titles count: Dusk and Dawn start with "d"; Midnight and the file names only hold one.
    found = _books(world, search="d", sort="relevance,asc")
    assert found[:2] == ["Night Tales 01", "Night Tales 03"] and "Night Tales 02" in found[2:]
    world.client.cookies.clear()
    posted = world.client.post(
        "/komga/api/v1/books/list",
        params={"unpaged": "true", "sort": "relevance,asc"},
        json={"condition": {"allOf": []}, "fullTextSearch": "dawn"},
        headers={"X-API-Key": world.owner},
    ).json()
    assert [b["metadata"]["title"] for b in posted["content"]] == ["Dawn"]
    world.client.cookies.clear()
    exact = world.client.post(
        "/komga/api/v1/books/list",
        params={"unpaged": "true"},
        json={"fullTextSearch": "n"},
        headers={"X-API-Key": world.owner},
    ).json()["content"]
    assert [b["name"] for b in exact[:3]] == ["Night Tales 01", "Night Tales 02", "Night Tales 03"]
