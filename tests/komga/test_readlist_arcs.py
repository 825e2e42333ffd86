"""Story arcs as Komga read lists: read-only, ids from ``KOMGA_ARC_BASE``, books in arc order,
scoped like every list; the arcs are fixed by the test (``fixed_arcs.py``) over the real index
and served through the container's ``story_arcs``. On every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers

from bagboard.adapters.http.komga.readlist_views import KOMGA_ARC_BASE
from tests.browse_support import BACKENDS
from tests.komga.fixed_arcs import FixedArcs
from tests.komga.readlist_world import ListWorld, list_world
from tests.komga.replay import Replay

CW1, CW2 = "Civil War/Civil War 001.cbz", "Civil War/Civil War 002.cbz"
SW1 = "Secret Wars/Secret Wars 001.cbz"
ARC = 7
ARC_ID = str(KOMGA_ARC_BASE + ARC)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListWorld]:
    base = tmp_path_factory.mktemp(f"komga-arcs-{request.param}")
    with list_world(request.param, base) as built:
        order = [int(built.comic_id(path)) for path in (CW2, CW1, SW1)]
        arcs = FixedArcs(built.app.container.library_index(), {ARC: ("Civil War", order)})
        built.app.container.story_arcs.override(providers.Object(arcs))
        try:
            yield built
        finally:
            built.app.container.story_arcs.reset_override()


def test_an_arc_is_a_read_only_read_list_in_arc_order(world: ListWorld) -> None:
    ext = Replay(world.http("owner"), "EXT", {"User-Agent": "TachiyomiKomga/0.18.0"})
    page = ext.json(
        "GET", "api/v1/readlists?search=&page=0&deleted=false&sort=name,asc", "Page<ReadList>"
    )
    assert [(item["id"], item["name"]) for item in page["content"]][:2] == [
        (ARC_ID, "Civil War"),
        (world.lists["Civil War Event"], "Civil War Event"),
    ]
    order = [world.comic_id(path) for path in (CW2, CW1, SW1)]
    detail = ext.json("GET", f"api/v1/readlists/{ARC_ID}", "ReadList")
    assert (detail["bookIds"], detail["filtered"], detail["summary"]) == (order, False, "")
    books = ext.json("GET", f"api/v1/readlists/{ARC_ID}/books?unpaged=true", "Page<Book>")
    assert [book["id"] for book in books["content"]] == order
    ext.call("GET", f"api/v1/readlists/{ARC_ID}/thumbnail", image=True)
    holding = world.json(f"/api/v1/books/{world.comic_id(CW1)}/readlists")
    assert [item["id"] for item in holding][-1] == ARC_ID
    step = world.json(f"/api/v1/readlists/{ARC_ID}/books/{order[0]}/next")
    assert step["id"] == order[1]
    world.client.cookies.clear()
    refused = world.client.delete(
        f"/komga/api/v1/readlists/{ARC_ID}", headers={"X-API-Key": world.tokens["owner"]}
    )
    assert refused.status_code == 403
    assert world.get(f"/api/v1/readlists/{ARC_ID}").status_code == 200


def test_an_arc_is_scoped_and_tracked(world: ListWorld) -> None:
    kid = world.json(f"/api/v1/readlists/{ARC_ID}", "kid")
    assert kid["bookIds"] == [world.comic_id(CW2), world.comic_id(CW1)] and kid["filtered"]
    url = f"/api/v1/readlists/{ARC_ID}/read-progress/tachiyomi"
    world.client.cookies.clear()
    put = world.client.put(
        f"/komga{url}", json={"lastBookRead": 1}, headers={"X-API-Key": world.tokens["reader"]}
    )
    assert put.status_code == 204
    state = world.json(url, "reader")
    assert (state["booksCount"], state["booksReadCount"], state["lastReadContinuousIndex"]) == (
        3,
        1,
        1,
    )
    first = world.json(f"/api/v1/books/{world.comic_id(CW2)}", "reader")["readProgress"]
    assert first is not None and first["completed"] is True
    for missing in (str(KOMGA_ARC_BASE + ARC + 1), str(KOMGA_ARC_BASE)):
        assert world.get(f"/api/v1/readlists/{missing}").status_code == 404
