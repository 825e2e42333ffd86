"""A user limited to library A never sees, counts or reaches anything of library B, in any list
and either mode (contract §2); a disabled library disappears for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browse_support import ASM, World, auth

LIBRARY = "/api/v1/library"


def listed(world: World, token: str, endpoint: str, **params: str) -> list[dict[str, Any]]:
    body = world.json(f"{LIBRARY}/{endpoint}", token, page_size="200", **params)
    assert body["total"] == len(body["items"])
    items: list[dict[str, Any]] = body["items"]
    return items


def mentions_b(world: World, items: list[dict[str, Any]]) -> bool:
    return world.b in repr(items) or "Secret Press" in repr(items) or "Hidden" in repr(items)


# Every list the limited user can ask for, in both modes, with what the owner sees there.
LISTS: list[tuple[str, dict[str, str]]] = [
    ("publishers", {"mode": "filesystem"}),
    ("publishers", {"mode": "metadata"}),
    ("publishers", {"mode": "metadata", "sort": "count"}),
    ("series", {"mode": "filesystem", "publisher": "Marvel"}),
    ("series", {"mode": "metadata"}),
    ("series", {"mode": "metadata", "q": "i"}),
    ("issues", {"mode": "filesystem", "publisher": "Marvel", "series": "Amazing Spider-Man"}),
    ("issues", {"mode": "metadata", "series": "Amazing Spider-Man"}),
    ("recent", {}),
]


@pytest.mark.parametrize(("endpoint", "params"), LISTS)
def test_the_limited_user_sees_nothing_of_library_b(
    world: World, endpoint: str, params: dict[str, str]
) -> None:
    mine = listed(world, world.kid, endpoint, **params)
    everyones = listed(world, world.owner, endpoint, **params)
    assert mentions_b(world, everyones)
    assert mine
    assert not mentions_b(world, mine)


def test_the_limited_users_counts_exclude_library_b(world: World) -> None:
    fs = listed(world, world.kid, "publishers", mode="filesystem")
    assert [(i["name"], i["count"]) for i in fs if i["name"] == "Marvel"] == [("Marvel", 6)]
    meta = {i["name"]: i["count"] for i in listed(world, world.kid, "publishers", mode="metadata")}
    assert meta["Marvel"] == 5
    assert "Secret Press" not in meta
    series = {i["name"]: i["count"] for i in listed(world, world.kid, "series", mode="metadata")}
    assert series["Amazing Spider-Man"] == 5
    issues = listed(world, world.kid, "issues", series="Amazing Spider-Man")
    assert [i["number"] for i in issues] == ["1", "1.5", "2", "10", "Annual"]


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("series", {"mode": "filesystem", "publisher": "Secret Press"}),
        ("issues", {"mode": "filesystem", "publisher": "Secret Press", "series": "Hidden"}),
        ("series", {"mode": "metadata", "publisher": "Secret Press"}),
        ("issues", {"mode": "metadata", "series": "Hidden"}),
    ],
)
def test_names_only_found_in_library_b_are_empty_for_the_limited_user(
    world: World, endpoint: str, params: dict[str, str]
) -> None:
    assert listed(world, world.kid, endpoint, **params) == []
    assert listed(world, world.owner, endpoint, **params) != []


@pytest.mark.parametrize(
    "params",
    [
        {"publisher": "{b}/Secret Press"},
        {"publisher": "{b}/Marvel", "series": "Amazing Spider-Man"},
        {"publisher": "Marvel", "series": "{b}/Marvel/Amazing Spider-Man"},
    ],
)
def test_absolute_paths_into_library_b_are_invalid_for_the_limited_user(
    world: World, params: dict[str, str]
) -> None:
    endpoint = "issues" if "series" in params else "series"
    query = {key: value.format(b=world.b) for key, value in params.items()}
    response = world.get(f"{LIBRARY}/{endpoint}", world.kid, mode="filesystem", **query)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_path"
    assert world.b not in response.text
    assert world.get(f"{LIBRARY}/{endpoint}", mode="filesystem", **query).status_code == 200


@pytest.mark.parametrize(
    ("method", "shelf", "relative"),
    [
        ("PUT", "favorites", "Secret Press"),
        ("POST", "to-read", "Secret Press/Hidden"),
        ("POST", "to-read", f"{ASM}/Amazing Spider-Man #3.cbz"),
        ("DELETE", "favorites", "Secret Press"),
        ("DELETE", "to-read", "Secret Press/Hidden"),
    ],
)
def test_writes_into_library_b_are_404_for_the_limited_user(
    world: World, method: str, shelf: str, relative: str
) -> None:
    path = f"{world.b}/{relative}"
    url = f"{LIBRARY}/{shelf}"
    if method == "DELETE":
        response = world.client.delete(url, params={"path": path}, headers=auth(world.kid))
    else:
        response = world.client.request(method, url, json={"path": path}, headers=auth(world.kid))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert listed(world, world.kid, shelf) == []


def test_a_disabled_library_leaves_every_list_and_shelf(world: World) -> None:
    reader = world.new_reader()
    secret = f"{world.b}/Secret Press"
    world.client.put(f"{LIBRARY}/favorites", json={"path": secret}, headers=auth(reader))
    world.client.post(f"{LIBRARY}/to-read", json={"path": secret}, headers=auth(reader))
    assert len(listed(world, reader, "favorites")) == 1
    world.app.libraries.set_enabled(world.b, False)
    try:
        for endpoint, params in LISTS:
            assert not mentions_b(world, listed(world, reader, endpoint, **params))
        assert listed(world, reader, "favorites") == []
        assert listed(world, reader, "to-read") == []
    finally:
        world.app.libraries.set_enabled(world.b, True)
    assert len(listed(world, reader, "favorites")) == 1
