"""``GET /komga/api/v1/books/{id}/pages/{n}/thumbnail``: Komelia's reader strip."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.browse_support import World, browse_world
from tests.unit.komga_support import kget, kjson


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with browse_world("sqlite", tmp_path_factory) as built:
        yield built


def _first_book(world: World, series: str) -> str:
    found = kjson(world, "/api/v1/series", search=series)["content"]
    (one,) = [s for s in found if s["metadata"]["title"] == series]
    book_id: str = kjson(world, f"/api/v1/series/{one['id']}/books")["content"][0]["id"]
    return book_id


def test_a_page_thumbnail_is_a_small_image_whatever_accept_says(world: World) -> None:
    book = _first_book(world, "Saga")
    world.client.cookies.clear()
    answer = world.client.get(
        f"/komga/api/v1/books/{book}/pages/2/thumbnail",
        headers={"X-API-Key": world.owner, "Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("image/")
    with Image.open(io.BytesIO(answer.content)) as image:
        assert max(image.size) <= 300


def test_a_page_thumbnail_out_of_range_or_hidden_is_404(world: World) -> None:
    book = _first_book(world, "Saga")
    for page in ("0", "3", "x", "1" * 12):
        answer = kget(world, f"/api/v1/books/{book}/pages/{page}/thumbnail")
        assert answer.status_code == 404, (page, answer.text)
    hidden = _first_book(world, "Hidden")
    assert kget(world, f"/api/v1/books/{hidden}/pages/1/thumbnail", world.kid).status_code == 404
