"""``GET /library/series`` in both modes, and filesystem path resolution (contract §4.2, §4.4)."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from tests.browse_support import World, auth

URL = "/api/v1/library/series"
SERIES_KEYS = {"value", "name", "publisher", "count", "year"}


def fs(world: World, **params: str) -> dict[str, object]:
    return world.json(URL, mode="filesystem", **params)


def names(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [item["name"] for item in items]


# --- filesystem ----------------------------------------------------------------------------


def test_series_of_a_publisher_named_by_folder_name(world: World) -> None:
    body = fs(world, publisher="DC Comics")
    assert body["mode"] == "filesystem"
    assert body["items"] == [
        {
            "value": "Batman",
            "name": "Batman",
            "path": f"{world.a}/DC Comics/Batman",
            "has_thumbnail": False,
            "count": 1,
        },
        {
            "value": "Swamp Thing",
            "name": "Swamp Thing",
            "path": f"{world.a}/DC Comics/Swamp Thing",
            "has_thumbnail": False,
            "count": 3,  # the sum over both volumes
            "volumes": ["v1972", "v1985"],
        },
    ]


def test_series_of_a_publisher_named_by_absolute_path(world: World) -> None:
    by_name = fs(world, publisher="DC Comics")
    assert fs(world, publisher=f"{world.a}/DC Comics") == by_name
    assert fs(world, publisher=f"{world.a}/DC Comics/") == by_name


def test_flat_series_carry_no_volumes_key(world: World) -> None:
    body = fs(world, publisher="Image")
    assert names(body) == ["Invincible", "Saga"]
    for item in body["items"]:  # type: ignore[attr-defined]
        assert "volumes" not in item


def test_a_name_found_in_several_libraries_lists_them_all(world: World) -> None:
    body = fs(world, publisher="Marvel")
    paths = [item["path"] for item in body["items"]]  # type: ignore[attr-defined]
    assert sorted(paths) == sorted(
        [
            f"{world.a}/Marvel/Amazing Spider-Man",
            f"{world.b}/Marvel/Amazing Spider-Man",
            f"{world.a}/Marvel/X-Men",
        ]
    )


@pytest.mark.parametrize("params", [{}, {"publisher": ""}, {"publisher": "  "}])
def test_filesystem_series_need_a_publisher(world: World, params: dict[str, str]) -> None:
    response = world.get(URL, mode="filesystem", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Missing 'publisher' parameter"
    assert set(body) == {"error", "message"}


@pytest.mark.parametrize(
    "query",
    [
        "publisher=..",
        "publisher=%2e%2e",
        "publisher=%2E%2E%2Fetc",
        "publisher=DC%20Comics%2F..%2F..",
        "publisher=..%5Csecret",
        "publisher=DC%20Comics%5C..%5C..",
        "publisher=%2Fetc%2F..%2F",
    ],
)
def test_a_climbing_part_is_invalid_path_and_echoes_no_server_path(
    world: World, query: str
) -> None:
    response = world.client.get(f"{URL}?mode=filesystem&{query}", headers=auth(world.owner))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_path"
    assert world.a not in response.text
    assert "comics-a" not in response.text


@pytest.mark.parametrize("outside", ["/etc", "/", "{parent}", "{parent}/comics-c"])
def test_an_absolute_path_outside_every_library_is_invalid_path(world: World, outside: str) -> None:
    publisher = outside.format(parent=PurePosixPath(world.a).parent)
    response = world.get(URL, mode="filesystem", publisher=publisher)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_path"
    assert str(PurePosixPath(world.a).parent) not in response.text


@pytest.mark.parametrize("publisher", ["Nobody", "dc comics", "{a}/Nobody", "{a}/DC Comics/Batman"])
def test_a_well_formed_name_that_matches_nothing_is_an_empty_list(
    world: World, publisher: str
) -> None:
    body = fs(world, publisher=publisher.format(a=world.a))
    assert (body["items"], body["total"], body["has_more"]) == ([], 0, False)


# --- metadata ----------------------------------------------------------------------------

ALL_SERIES = [
    "100% Pure",
    "Amazing Spider-Man",
    "Batman",
    "Fixture Series",
    "Hidden",
    "Invincible",
    "Jughead",
    "Plain",
    "Saga",
    "Swamp Thing",
    "Thing",
    "Under_Score",
]


def test_metadata_series_items(world: World) -> None:
    body = world.json(URL, mode="metadata")
    assert body["mode"] == "metadata"
    assert names(body) == ALL_SERIES
    items = {item["name"]: item for item in body["items"]}
    # Five "Amazing Spider-Man" and one "amazing spider-man", over both libraries.
    assert items["Amazing Spider-Man"] == {
        "value": "Amazing Spider-Man",
        "name": "Amazing Spider-Man",
        "publisher": "Marvel",
        "count": 6,
        "year": 1963,
    }
    assert items["Fixture Series"]["publisher"] == "Fixture Comics"  # read from the CBR
    assert items["Swamp Thing"]["year"] == 1972  # the earliest
    assert items["Invincible"]["year"] == ""  # no issue has a year
    for item in body["items"]:
        assert set(item) == SERIES_KEYS


def test_metadata_series_filter_by_publisher_case_insensitively(world: World) -> None:
    body = world.json(URL, mode="metadata", publisher="  ODDITIES ")
    assert names(body) == ["100% Pure", "Plain", "Under_Score"]
    assert world.json(URL, mode="metadata", publisher="Nobody")["total"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "%"}, ["100% Pure"]),
        ({"q": "_"}, ["Under_Score"]),
        ({"search": "%"}, ["100% Pure"]),
        ({"q": "SPIDER"}, ["Amazing Spider-Man"]),
        ({"q": "owls"}, ["Batman"]),  # a title
        ({"q": "#10.cbz"}, ["Amazing Spider-Man"]),  # a file name
        ({"q": "zzz"}, []),
        ({"q": "   "}, ALL_SERIES),
        ({"q": "batman", "search": "saga"}, ["Batman"]),
        ({"q": "", "search": "saga"}, ["Saga"]),
    ],
)
def test_metadata_series_search(world: World, params: dict[str, str], expected: list[str]) -> None:
    assert names(world.json(URL, mode="metadata", **params)) == expected


def test_metadata_series_sort_by_count(world: World) -> None:
    body = world.json(URL, mode="metadata", sort="count")
    assert [(i["name"], i["count"]) for i in body["items"][:3]] == [
        ("Amazing Spider-Man", 6),
        ("Hidden", 3),  # two of them untagged, named by their file names
        ("Swamp Thing", 3),
    ]


def test_metadata_series_sort_by_year_earliest_first(world: World) -> None:
    body = world.json(URL, mode="metadata", sort="year")
    assert names(body)[:9] == [
        "Amazing Spider-Man",
        "Swamp Thing",
        "Hidden",
        "Fixture Series",
        "100% Pure",
        "Under_Score",
        "Plain",
        "Saga",
        "Batman",
    ]
    # No year at all: last, by name.
    assert names(body)[9:] == ["Invincible", "Jughead", "Thing"]


def test_metadata_series_sort_by_recent_addition(world: World) -> None:
    body = world.json(URL, mode="metadata", sort="recent")
    assert names(body) == [
        "Fixture Series",
        "Amazing Spider-Man",
        "Batman",
        "Swamp Thing",
        "Invincible",
        "100% Pure",
        "Under_Score",
        "Plain",
        "Jughead",
        "Thing",
        "Hidden",
        "Saga",
    ]
