"""Read lists in ``/komga`` searches: the ``readListId`` condition of ``POST /api/v1/books/list``
and ``POST /api/v1/series/list`` (komga-client's tagged form and the plain one), the
``readList.number`` sort, and ``readlist_id`` on the referential lists. On every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.adapters.readlists import parse_cbl
from tests.browse_support import BACKENDS
from tests.komga.readlist_world import ListWorld, list_world
from tests.readlist_support import cbl

CW1, CW2 = "Civil War/Civil War 001.cbz", "Civil War/Civil War 002.cbz"
ASM_A, ASM_B = "Spider-Man/ASM 532 (a).cbz", "Spider-Man 2/ASM 532 (b).cbz"
SW1 = "Secret Wars/Secret Wars 001.cbz"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListWorld]:
    base = tmp_path_factory.mktemp(f"komga-list-search-{request.param}")
    with list_world(request.param, base) as built:
        parsed = parse_cbl(cbl("Only Secret", [("Secret Wars", "1", "", "1984")]))
        report = built.app.reading_lists.import_list(built.owner, parsed, shared=False)
        built.lists["Only Secret"] = str(report.reading_list.id)
        yield built


def _post(world: ListWorld, path: str, body: Any, user: str = "owner", **params: Any) -> Any:
    world.client.cookies.clear()
    response = world.client.post(
        f"/komga{path}", params=params, json=body, headers={"X-API-Key": world.tokens[user]}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _in_list(list_id: str, operator: str = "is", tagged: bool = False) -> dict[str, Any]:
    leaf: dict[str, Any] = {"readListId": {"operator": operator, "value": list_id}}
    if tagged:
        leaf["type"] = "ReadListId"
        return {"type": "AllOfBook", "allOf": [leaf]}
    return {"allOf": [leaf, {"deleted": {"operator": "isFalse"}}]}


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["content"]]


def _event(world: ListWorld) -> list[str]:
    ids: list[str] = world.json(f"/api/v1/readlists/{world.lists['Civil War Event']}")["bookIds"]
    return ids


def test_books_of_a_read_list_in_list_order(world: ListWorld) -> None:
    event = world.lists["Civil War Event"]
    expected = _event(world)
    assert len(expected) == 4
    for tagged in (False, True):
        body = {"condition": _in_list(event, tagged=tagged)}
        ascending = _post(world, "/api/v1/books/list", body, sort="readList.number,asc")
        assert _ids(ascending) == expected
        descending = _post(world, "/api/v1/books/list", body, sort="readList.number,desc")
        assert _ids(descending) == expected[::-1]
    by_series = _post(world, "/api/v1/books/list", {"condition": _in_list(event)})
    assert sorted(_ids(by_series)) == sorted(expected) and _ids(by_series) != expected


def test_books_outside_a_read_list_and_lists_that_name_nothing(world: ListWorld) -> None:
    event = world.lists["Civil War Event"]
    outside = _post(world, "/api/v1/books/list", {"condition": _in_list(event, "isNot")})
    other_copy = {world.comic_id(ASM_A), world.comic_id(ASM_B)} - set(_event(world))
    assert _ids(outside) == sorted(other_copy)
    for unknown in (world.lists["Reader Run"], "abc", "99999"):
        found = _post(world, "/api/v1/books/list", {"condition": _in_list(unknown)})
        assert found["content"] == [] and found["totalElements"] == 0, unknown


def test_series_holding_a_read_lists_books(world: ListWorld) -> None:
    shared = world.lists["Everyone's Wars"]
    owner = _post(world, "/api/v1/series/list", {"condition": _in_list(shared)})
    assert sorted(s["name"] for s in owner["content"]) == ["Civil War", "Secret Wars"]
    kid = _post(world, "/api/v1/series/list", {"condition": _in_list(shared)}, "kid")
    assert [s["name"] for s in kid["content"]] == ["Civil War"]
    civil_war = next(s["id"] for s in owner["content"] if s["name"] == "Civil War")
    both = {"allOf": [_in_list(shared), {"seriesId": {"operator": "is", "value": civil_war}}]}
    assert _ids(_post(world, "/api/v1/series/list", {"condition": both})) == [civil_war]
    secret = {"condition": _in_list(world.lists["Only Secret"])}
    assert [s["name"] for s in _post(world, "/api/v1/series/list", secret)["content"]] == [
        "Secret Wars"
    ]
    nothing = _post(world, "/api/v1/series/list", {"condition": _in_list("abc")})
    assert nothing["totalElements"] == 0


def test_referential_lists_narrowed_to_a_read_list(world: ListWorld) -> None:
    path = "/api/v1/series/release-dates"
    assert world.json(path) == ["2006", "1984"]
    assert world.json(path, readlist_id=world.lists["Only Secret"]) == ["1984"]
    assert world.json(path, readlist_id=world.lists["Everyone's Wars"]) == ["2006", "1984"]
    assert world.json(path, "kid", readlist_id=world.lists["Everyone's Wars"]) == ["2006"]
    assert world.json(path, "kid", readlist_id=world.lists["Only Secret"]) == []
