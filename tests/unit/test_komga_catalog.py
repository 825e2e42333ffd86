"""``/komga`` series and books over a real scanned collection, on every SQL backend."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import BOOK_KEYS, DATE, INSTANT, PAGE_KEYS, SERIES_KEYS, kget, kjson


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


def _series(world: World, name: str, token: str | None = None, **params: Any) -> dict[str, Any]:
    page = kjson(world, "/api/v1/series", token, search=name, **params)
    found = [s for s in page["content"] if s["name"] == name]
    assert found, page
    return found[0]


def test_series_page_has_every_key_and_default_size(world: World) -> None:
    page = kjson(world, "/api/v1/series")
    assert set(page) == PAGE_KEYS
    assert page["size"] == 20 and page["number"] == 0 and page["first"] is True
    assert page["pageable"]["pageNumber"] == 0 and set(page["sort"]) == {
        "sorted",
        "unsorted",
        "empty",
    }
    series = page["content"][0]
    assert set(series) >= SERIES_KEYS
    assert INSTANT.match(series["created"]) and INSTANT.match(series["lastModified"])
    assert series["metadata"]["ageRating"] is None and "totalBookCount" in series["metadata"]
    assert series["url"] == ""


def test_series_are_per_library_and_ids_are_stable(world: World) -> None:
    everyone = kjson(world, "/api/v1/series", unpaged="true")
    spider = [s for s in everyone["content"] if s["name"] == "Amazing Spider-Man"]
    assert sorted(s["libraryId"] for s in spider) == sorted(
        [str(world.lib_a.id), str(world.lib_b.id)]
    )
    again = kjson(world, "/api/v1/series", unpaged="true")
    assert [s["id"] for s in again["content"]] == [s["id"] for s in everyone["content"]]
    assert everyone["size"] == max(everyone["totalElements"], 20)


def test_library_filter_repeated_or_joined_and_scoping(world: World) -> None:
    only_b = kjson(world, "/api/v1/series", library_id=str(world.lib_b.id), unpaged="true")
    assert {s["libraryId"] for s in only_b["content"]} == {str(world.lib_b.id)}
    both = kjson(
        world, "/api/v1/series", library_id=f"{world.lib_a.id}, {world.lib_b.id}", unpaged="true"
    )
    assert both["totalElements"] > only_b["totalElements"]
    kid = kjson(world, "/api/v1/series", world.kid, library_id=str(world.lib_b.id))
    assert kid["totalElements"] == 0
    hidden = _series(world, "Hidden")
    assert kget(world, f"/api/v1/series/{hidden['id']}", world.kid).status_code == 404
    assert kget(world, "/api/v1/series/abc").status_code == 404


def test_sorts_and_paging(world: World) -> None:
    asc = kjson(world, "/api/v1/series", sort="metadata.titleSort,asc", unpaged="true")
    desc = kjson(world, "/api/v1/series", sort="metadata.titleSort,desc", unpaged="true")
    assert [s["id"] for s in desc["content"]] == [s["id"] for s in asc["content"]][::-1]
    first = kjson(world, "/api/v1/series", size="2", page="0")
    second = kjson(world, "/api/v1/series", size="2", page="1")
    assert first["last"] is False and second["number"] == 1
    assert not {s["id"] for s in first["content"]} & {s["id"] for s in second["content"]}
    zero = kjson(world, "/api/v1/series", size="0")
    assert zero["size"] == 20
    past = kjson(world, "/api/v1/series", page="999")
    assert past["content"] == [] and past["totalElements"] == asc["totalElements"]


def test_search_body_filters_by_library_and_series(world: World) -> None:
    saga = _series(world, "Saga")
    body = {
        "condition": {
            "type": "AllOfSeries",
            "allOf": [
                {"libraryId": {"operator": "is", "value": str(world.lib_a.id)}},
                {"seriesId": {"operator": "is", "value": saga["id"]}},
                {"deleted": {"operator": "isFalse"}},
            ],
        }
    }
    world.client.cookies.clear()
    found = world.client.post(
        "/komga/api/v1/series/list", json=body, headers={"X-API-Key": world.owner}
    )
    assert found.status_code == 200, found.text
    assert [s["name"] for s in found.json()["content"]] == ["Saga"]
    bad = world.client.post(
        "/komga/api/v1/series/list", content=b"{nope", headers={"X-API-Key": world.owner}
    )
    assert bad.status_code == 400 and bad.json()["status"] == 400


def test_books_of_a_series_numbers_and_neighbours(world: World) -> None:
    spider = _series(world, "Amazing Spider-Man", library_id=str(world.lib_a.id))
    page = kjson(world, f"/api/v1/series/{spider['id']}/books", unpaged="true")
    books = page["content"]
    assert set(books[0]) >= BOOK_KEYS
    assert [b["number"] for b in books] == list(range(1, len(books) + 1))
    # "Annual" does not parse: numberSort falls back to positions.
    assert [b["metadata"]["numberSort"] for b in books] == [
        float(n) for n in range(1, len(books) + 1)
    ]
    assert books[0]["readProgress"] is None and books[0]["media"]["mediaProfile"] == "DIVINA"
    assert all(INSTANT.match(b["created"]) for b in books)
    released = [b["metadata"]["releaseDate"] for b in books if b["metadata"]["releaseDate"]]
    assert released and all(DATE.match(r) for r in released)
    nxt = kjson(world, f"/api/v1/books/{books[0]['id']}/next")
    assert nxt["id"] == books[1]["id"]
    assert kget(world, f"/api/v1/books/{books[0]['id']}/previous").status_code == 404
    one = kjson(world, f"/api/v1/books/{books[1]['id']}")
    assert one["seriesId"] == spider["id"] and one["number"] == 2


def test_read_counts_and_read_progress(world: World) -> None:
    reader = world.new_reader()
    saga = _series(world, "Invincible", reader)
    books = kjson(world, f"/api/v1/series/{saga['id']}/books", reader)["content"]
    path = world.app.container.library_index().comic(int(books[0]["id"])).path
    world.client.cookies.clear()
    saved = world.client.put(
        "/api/v1/progress",
        json={"path": path, "page_number": 1, "total_pages": 2},
        headers={"Authorization": f"Bearer {reader}"},
    )
    assert saved.status_code in (200, 201, 204), saved.text
    series = kjson(world, f"/api/v1/series/{saga['id']}", reader)
    assert series["booksInProgressCount"] == 1 and series["booksUnreadCount"] == len(books) - 1
    book = kjson(world, f"/api/v1/books/{books[0]['id']}", reader)
    progress = book["readProgress"]
    assert progress["page"] == 1 and progress["completed"] is False
    assert INSTANT.match(progress["lastModified"]) and progress["deviceName"]


def test_pages_images_and_conversion(world: World) -> None:
    saga = _series(world, "Saga")
    book = kjson(world, f"/api/v1/series/{saga['id']}/books")["content"][0]
    pages = kjson(world, f"/api/v1/books/{book['id']}/pages")
    assert [p["number"] for p in pages] == [1, 2]
    assert set(pages[0]) == {
        "number",
        "fileName",
        "mediaType",
        "width",
        "height",
        "sizeBytes",
        "size",
    }
    world.client.cookies.clear()
    headers = {"X-API-Key": world.owner, "Accept": "application/json"}
    image = world.client.get(f"/komga/api/v1/books/{book['id']}/pages/1", headers=headers)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/jpeg")
    png = world.client.get(
        f"/komga/api/v1/books/{book['id']}/pages/1", params={"convert": "png"}, headers=headers
    )
    assert png.status_code == 200 and Image.open(io.BytesIO(png.content)).format == "PNG"
    zero = world.client.get(
        f"/komga/api/v1/books/{book['id']}/pages/0", params={"zero_based": "true"}, headers=headers
    )
    assert zero.content == image.content
    assert (
        world.client.get(f"/komga/api/v1/books/{book['id']}/pages/3", headers=headers).status_code
        == 400
    )
    assert (
        world.client.get(f"/komga/api/v1/books/{book['id']}/thumbnail", headers=headers).status_code
        == 200
    )
    assert (
        world.client.get(
            f"/komga/api/v1/series/{saga['id']}/thumbnail", headers=headers
        ).status_code
        == 200
    )


def test_a_hidden_book_is_404(world: World) -> None:
    hidden = _series(world, "Hidden")
    book = kjson(world, f"/api/v1/series/{hidden['id']}/books")["content"][0]
    for path in ("", "/pages", "/pages/1", "/thumbnail", "/next"):
        assert kget(world, f"/api/v1/books/{book['id']}{path}", world.kid).status_code == 404
