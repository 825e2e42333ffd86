"""``/komga`` referential lists, authors and the series filters they feed (genre, tag,
language), over a real scanned collection on every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.domain.model import Library
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kget, kjson
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


def _series(world: World, name: str) -> str:
    page = kjson(world, "/api/v1/series", search=name, unpaged="true")
    return str(next(s["id"] for s in page["content"] if s["name"] == name))


def test_string_lists_sorted_distinct_and_filtered(world: World, lib_c: Library) -> None:
    c = str(lib_c.id)
    assert kjson(world, "/api/v1/genres") == ["Comedy", "Drama", "Horror"]
    night = _series(world, "Night Tales")
    assert kjson(world, "/api/v1/genres", series_id=night) == ["Drama", "Horror"]
    assert kjson(world, "/api/v1/genres", library_id=str(world.lib_a.id)) == []
    for path in ("/api/v1/tags", "/api/v1/tags/series", "/api/v1/tags/book"):
        assert kjson(world, path, library_id=c) == ["Cats", "Vampires"]  # case-insensitive
    assert kjson(world, "/api/v1/tags/book", series_id=night) == ["Cats", "Vampires"]
    assert kjson(world, "/api/v1/languages", library_id=c) == ["en", "fr"]
    assert kjson(world, "/api/v1/publishers", library_id=c) == ["Grim"]
    assert "Marvel" in kjson(world, "/api/v1/publishers")
    assert kjson(world, "/api/v1/series/release-dates", library_id=c) == ["2019", "2018"]
    assert kjson(world, "/api/v1/age-ratings", library_id=c) == []
    assert kjson(world, "/api/v1/sharing-labels") == []
    assert kjson(world, "/api/v1/genres", collection_id="1") == []
    assert kjson(world, "/api/v1/genres", world.kid) == []  # library C is hidden from the kid


def test_authors_v1_and_v2(world: World, lib_c: Library) -> None:
    c = str(lib_c.id)
    authors = kjson(world, "/api/v1/authors", library_id=c)
    assert authors == [
        {"name": "Ann Writer", "role": "writer"},
        {"name": "Bob Writer", "role": "writer"},
        {"name": "Cee Cover", "role": "cover"},
        {"name": "Col Or", "role": "colorist"},
        {"name": "Ink Er", "role": "inker"},
        {"name": "Let Er", "role": "letterer"},
        {"name": "Pat Pencil", "role": "penciller"},
    ]
    night = _series(world, "Night Tales")
    page = kjson(world, "/api/v2/authors", series_id=night, unpaged="true")
    assert [a["name"] for a in page["content"]] == [
        "Ann Writer", "Bob Writer", "Cee Cover", "Pat Pencil",
    ]  # fmt: skip
    writers = kjson(world, "/api/v2/authors", library_id=c, role="writer", size=1, page=1)
    assert writers["totalElements"] == 2 and writers["content"] == [
        {"name": "Bob Writer", "role": "writer"}
    ]
    found = kjson(world, "/api/v2/authors", library_id=c, search="er")
    assert {a["name"] for a in found["content"]} == {
        "Ann Writer", "Bob Writer", "Cee Cover", "Ink Er", "Let Er",
    }  # fmt: skip


def _names(world: World, **params: Any) -> list[str]:
    page = kjson(world, "/api/v1/series", unpaged="true", **params)
    return sorted(s["name"] for s in page["content"])


def test_series_genre_tag_language_filters(world: World, lib_c: Library) -> None:
    assert _names(world, genre="comedy") == ["Contes"]
    assert _names(world, genre="Comedy,Drama") == ["Contes", "Night Tales"]
    assert _names(world, tag="vampires") == ["Night Tales"]
    assert _names(world, tag="cats") == ["Contes", "Night Tales"]
    assert _names(world, genre="Horror", language="fr") == []
    assert _names(world, language="fr") == ["Contes"]
    world.client.cookies.clear()
    body = {"condition": {"allOf": [
        {"libraryId": {"operator": "is", "value": str(lib_c.id)}},
        {"anyOf": [{"genre": {"operator": "is", "value": "Drama"}}]},
        {"language": {"operator": "is", "value": "en"}},
    ]}}  # fmt: skip
    response = world.client.post(
        "/komga/api/v1/series/list", json=body, headers={"X-API-Key": world.owner}
    )
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["content"]] == ["Night Tales"]
    assert kjson(world, "/api/v1/series", world.kid, genre="Horror")["totalElements"] == 0


def test_one_trailing_slash_is_accepted(world: World, lib_c: Library) -> None:
    night = _series(world, "Night Tales")
    paths = (
        f"/api/v1/series/{night}/", "/api/v1/genres/", "/api/v1/tags/series/",
        "/api/v1/libraries/", "/api/v1/series/updated/", "/api/v1/books/ondeck/",
    )  # fmt: skip
    for path in paths:
        assert kget(world, path).status_code == 200, path
    assert kjson(world, "/api/v1/genres/", library_id=str(lib_c.id)) == [
        "Comedy", "Drama", "Horror",
    ]  # fmt: skip
