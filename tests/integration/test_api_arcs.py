"""``/api/v1/arcs`` over comics whose ComicInfo names story arcs (``readlist_world``): listed
by name, read in arc order, each user seeing only the parts in their libraries."""

from __future__ import annotations

from typing import Any

from tests import readlist_world
from tests.browse_support import auth
from tests.readlist_support import cbl
from tests.readlist_world import API, World

# The shared fixture, bound here by name.
world = readlist_world.world


def arcs_by_name(world: World, token: str, **params: Any) -> dict[str, dict[str, Any]]:
    return {arc["name"]: arc for arc in world.json("/arcs", token, **params)["items"]}


def siege(world: World, number: str) -> int:
    library = world.secret if number == "3" else world.marvel
    return world.comic_id(f"Siege/Siege 00{number}.cbz", library)


def test_arcs_are_listed_by_name_with_their_parts_and_cover(world: World) -> None:
    token = world.user()
    listed = world.json("/arcs", token)
    assert [arc["name"] for arc in listed["items"]] == ["Dark Reign", "Secret Plot", "Siege"]
    assert listed["total"] == 3 and "mode" not in listed
    arc = arcs_by_name(world, token)["Siege"]
    assert {key: arc[key] for key in ("kind", "summary", "shared", "editable", "updated_at")} == {
        "kind": "arc",
        "summary": "",
        "shared": True,
        "editable": False,
        "updated_at": None,
    }
    assert (arc["entries"], arc["comics"], arc["cover_issue_id"]) == (3, 3, siege(world, "1"))
    assert world.json(f"/arcs/{arc['id']}", token) == arc
    issues = world.json(f"/arcs/{arc['id']}/issues", token)
    assert [(i["series"], i["number"]) for i in issues["items"]] == [
        ("Siege", "1"),
        ("Siege", "2"),
        ("Siege", "3"),
    ]
    assert issues["mode"] == "metadata"
    paged = world.json(f"/arcs/{arc['id']}/issues", token, page=2, page_size=2)
    assert [i["number"] for i in paged["items"]] == ["3"]
    assert (paged["total"], paged["has_more"]) == (3, False)
    first = world.json("/arcs", token, page_size=1)
    assert [a["name"] for a in first["items"]] == ["Dark Reign"] and first["has_more"]


def test_a_reader_sees_only_the_parts_in_their_libraries(world: World) -> None:
    kid = world.user([world.marvel.id])
    seen = arcs_by_name(world, kid)
    assert sorted(seen) == ["Dark Reign", "Siege"]
    arc = seen["Siege"]
    assert (arc["entries"], arc["comics"]) == (2, 2)
    issues = world.json(f"/arcs/{arc['id']}/issues", kid)
    assert [i["number"] for i in issues["items"]] == ["1", "2"]
    # An arc of the other library only is not there at all.
    hidden = arcs_by_name(world, world.owner)["Secret Plot"]["id"]
    for url in (f"/arcs/{hidden}", f"/arcs/{hidden}/issues"):
        response = world.get(url, kid)
        assert response.status_code == 404 and response.json()["error"] == "not_found", url


def test_reading_an_arc_shows_in_its_issues(world: World) -> None:
    token = world.user()
    arc = arcs_by_name(world, token)["Siege"]["id"]
    path = f"{world.marvel.root}/Siege/Siege 001.cbz"
    marked = world.client.post(f"{API}/issues/read", json={"path": path}, headers=auth(token))
    assert marked.status_code == 200
    issues = world.json(f"/arcs/{arc}/issues", token)["items"]
    assert [(i["number"], i["is_read"]) for i in issues] == [
        ("1", True),
        ("2", False),
        ("3", False),
    ]


def test_the_lists_holding_an_issue_name_its_arcs_after_its_lists(world: World) -> None:
    token = world.user()
    list_id = world.imported(cbl("Siege first", [("Siege", "1", "", "")]), token)["list"]["id"]
    holding = world.json(f"/issue/{siege(world, '1')}/lists", token)["items"]
    assert [(item["kind"], item["name"]) for item in holding] == [
        ("list", "Siege first"),
        ("arc", "Dark Reign"),
        ("arc", "Siege"),
    ]
    assert holding[0]["id"] == list_id


def test_unknown_arcs_are_404(world: World) -> None:
    token = world.user()
    for raw in ("999999", "abc", "-1", "99999999999", "arc-1"):
        for url in (f"/arcs/{raw}", f"/arcs/{raw}/issues"):
            response = world.get(url, token)
            assert response.status_code == 404 and response.json()["error"] == "not_found", url
