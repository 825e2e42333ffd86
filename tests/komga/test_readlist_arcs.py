"""Story arcs as Komga read lists, from comics whose ComicInfo names them (``StoryArc``,
``StoryArcNumber``): read-only, ids from ``KOMGA_ARC_BASE``, books in arc order, scoped like
every list, tracked like every list. On every SQL backend.

Arcs: "Road to War" is Thor #5 (part 1), Iron Man #10 (part 2) in library Marvel and Hulk #1
(part 3) in library Secret; "Dark Days" is Thor #5 alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bagboard.adapters.http.komga.readlist_views import KOMGA_ARC_BASE
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS
from tests.komga.readlist_world import ListWorld, list_world
from tests.komga.replay import Replay

THOR, IRON_MAN, HULK = "Thor/Thor 005.cbz", "Iron Man/Iron Man 010.cbz", "Hulk/Hulk 001.cbz"


def _arc_comics(marvel: Path, secret: Path) -> None:
    for root, relative, series, number, arcs, parts in (
        (marvel, THOR, "Thor", "5", "Road to War, Dark Days", "1, 3"),
        (marvel, IRON_MAN, "Iron Man", "10", "Road to War", "2"),
        (secret, HULK, "Hulk", "1", "Road to War", "3"),
    ):
        fields = {"Series": series, "Number": number, "StoryArc": arcs, "StoryArcNumber": parts}
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"ComicInfo.xml": comicinfo_xml(fields), "001.jpg": jpeg((60, 9, 9))})


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListWorld]:
    base = tmp_path_factory.mktemp(f"komga-arcs-{request.param}")
    with list_world(request.param, base, _arc_comics) as built:
        yield built


def _arcs(page: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["id"] for item in page["content"] if int(item["id"]) >= 10**12}


def test_an_arc_is_a_read_list_in_arc_order(world: ListWorld) -> None:
    ext = Replay(world.http("owner"), "EXT", {"User-Agent": "TachiyomiKomga/0.18.0"})
    browse = "api/v1/readlists?search=&page=0&deleted=false&sort=name,asc"
    page = ext.json("GET", browse, "Page<ReadList>")
    assert [item["name"] for item in page["content"]] == [
        "Civil War Event",
        "Dark Days",
        "Everyone's Wars",
        "Road to War",
    ]
    arcs = _arcs(page)
    assert all(int(found) > KOMGA_ARC_BASE for found in arcs.values())
    order = [world.comic_id(path) for path in (THOR, IRON_MAN, HULK)]
    road = arcs["Road to War"]
    detail = ext.json("GET", f"api/v1/readlists/{road}", "ReadList")
    assert (detail["bookIds"], detail["filtered"], detail["ordered"]) == (order, False, True)
    books = ext.json(
        "GET", f"api/v1/readlists/{road}/books?unpaged=true&media_status=READY", "Page<Book>"
    )
    assert [book["id"] for book in books["content"]] == order
    cover = ext.call("GET", f"api/v1/readlists/{road}/thumbnail", image=True)
    assert cover.content.startswith(b"\xff\xd8\xff")
    assert world.json(f"/api/v1/readlists/{road}/books/{order[0]}/next")["id"] == order[1]
    assert world.get(f"/api/v1/readlists/{road}/books/{order[2]}/next").status_code == 404
    holding = world.json(f"/api/v1/books/{order[0]}/readlists")
    assert [item["name"] for item in holding] == ["Dark Days", "Road to War"]
    searched = {"condition": {"allOf": [{"readListId": {"operator": "is", "value": road}}]}}
    world.client.cookies.clear()
    found = world.client.post(
        "/komga/api/v1/books/list",
        params={"sort": "readList.number,desc"},
        json=searched,
        headers={"X-API-Key": world.tokens["owner"]},
    ).json()
    assert [book["id"] for book in found["content"]] == order[::-1]


def test_an_arc_cannot_be_deleted(world: ListWorld) -> None:
    road = _arcs(world.json("/api/v1/readlists"))["Road to War"]
    world.client.cookies.clear()
    refused = world.client.delete(
        f"/komga/api/v1/readlists/{road}", headers={"X-API-Key": world.tokens["owner"]}
    )
    assert refused.status_code == 403 and refused.json()["status"] == 403
    assert world.get(f"/api/v1/readlists/{road}").status_code == 200


def test_an_arc_is_scoped(world: ListWorld) -> None:
    arcs = _arcs(world.json("/api/v1/readlists", "kid"))
    assert set(arcs) == {"Dark Days", "Road to War"}
    kid = world.json(f"/api/v1/readlists/{arcs['Road to War']}", "kid")
    assert kid["bookIds"] == [world.comic_id(THOR), world.comic_id(IRON_MAN)]
    assert kid["filtered"] is True
    assert world.json(f"/api/v1/readlists/{arcs['Dark Days']}", "kid")["filtered"] is False
    assert world.get(f"/api/v1/books/{world.comic_id(HULK)}/readlists", "kid").status_code == 404
    last = max(int(found) for found in arcs.values())
    assert world.get(f"/api/v1/readlists/{last + 1000}").status_code == 404


def test_the_tracker_reads_and_marks_an_arc(world: ListWorld) -> None:
    road = _arcs(world.json("/api/v1/readlists", "reader"))["Road to War"]
    url = f"/api/v1/readlists/{road}/read-progress/tachiyomi"
    assert world.json(url, "reader")["booksUnreadCount"] == 3
    world.client.cookies.clear()
    put = world.client.put(
        f"/komga{url}", json={"lastBookRead": 2}, headers={"X-API-Key": world.tokens["reader"]}
    )
    assert put.status_code == 204
    state = world.json(url, "reader")
    assert (state["booksReadCount"], state["booksUnreadCount"]) == (2, 1)
    assert state["lastReadContinuousIndex"] == 2
    for path, read in ((THOR, True), (IRON_MAN, True), (HULK, False)):
        progress = world.json(f"/api/v1/books/{world.comic_id(path)}", "reader")["readProgress"]
        assert (progress is not None and progress["completed"]) is read, path
