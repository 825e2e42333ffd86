"""``GET /library/issues`` in both modes, with progress enrichment (contract §4.3, §4.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.browse_support import ASM, World, auth
from tests.progress_writes import mark_read, save_page

URL = "/api/v1/library/issues"
FS_KEYS = {
    "id",
    "name",
    "path",
    "size",
    "has_comicinfo",
    "has_progress",
    "last_page",
    "is_read",
    "page_count",
}
METADATA_KEYS = FS_KEYS | {"title", "series", "number", "year", "publisher"}


def fs(world: World, token: str | None = None, **params: str) -> dict[str, Any]:
    return world.json(URL, token, mode="filesystem", **params)


def names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["items"]]


# --- filesystem ----------------------------------------------------------------------------


def test_filesystem_issues_are_natural_sorted_file_names(world: World) -> None:
    body = fs(world, publisher=f"{world.a}/Marvel", series="Amazing Spider-Man")
    assert body["mode"] == "filesystem"
    assert names(body) == [
        "Amazing Spider-Man #1.5.cbz",
        "Amazing Spider-Man #1.cbz",
        "Amazing Spider-Man #2.cbz",  # before #10
        "Amazing Spider-Man #10.cbz",
        "Amazing Spider-Man Annual.cbz",
    ]


def test_filesystem_issue_items(world: World) -> None:
    body = fs(world, publisher="DC Comics", series="Batman")
    path = f"{world.a}/DC Comics/Batman/Batman 001.cbz"
    assert body["items"] == [
        {
            "id": world.comic_id(path),
            "name": "Batman 001.cbz",
            "path": path,
            "size": Path(path).stat().st_size,
            "has_comicinfo": True,
            "has_progress": False,
            "last_page": None,
            "is_read": False,
            "page_count": 2,
        }
    ]


def test_filesystem_issues_of_every_format_and_without_comicinfo(world: World) -> None:
    (cbr,) = fs(world, publisher="Marvel", series="X-Men")["items"]
    assert (cbr["name"], cbr["page_count"], cbr["has_comicinfo"]) == ("X-Men 001.cbr", 3, True)
    bare = fs(world, publisher="Image", series="Invincible")["items"][1]
    assert (bare["name"], bare["has_comicinfo"]) == ("Invincible 02.cbz", False)
    assert set(bare) == FS_KEYS


@pytest.mark.parametrize("volume", ["v1985", "{a}/DC Comics/Swamp Thing/v1985"])
def test_the_volume_parameter_lists_one_volume(world: World, volume: str) -> None:
    body = fs(world, publisher="DC Comics", series="Swamp Thing", volume=volume.format(a=world.a))
    assert names(body) == ["Swamp Thing 001 (1985).cbz", "Swamp Thing 002 (1985).cbz"]


def test_a_multi_volume_series_without_volume_is_empty(world: World) -> None:
    body = fs(world, publisher="DC Comics", series="Swamp Thing")
    assert (body["items"], body["total"], body["total_pages"]) == ([], 0, 0)


@pytest.mark.parametrize(
    ("params", "series"),
    [({"publisher": "Nobody"}, "Batman"), ({"publisher": "DC Comics"}, "Robin")],
)
def test_unknown_folders_are_empty(world: World, params: dict[str, str], series: str) -> None:
    assert fs(world, series=series, **params)["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"publisher": "DC Comics"},
        {"series": "Batman"},
        {"series": ""},
        {"publisher": " ", "series": "Batman"},
    ],
)
def test_filesystem_issues_need_publisher_and_series(world: World, params: dict[str, str]) -> None:
    response = world.get(URL, mode="filesystem", **params)
    assert response.status_code == 400
    assert response.json()["error"] == "Missing 'publisher' or 'series' parameter"


@pytest.mark.parametrize(
    "query",
    [
        "publisher=DC%20Comics&series=..",
        "publisher=DC%20Comics&series=%2e%2e%2f..",
        "publisher=DC%20Comics&series=Swamp%20Thing&volume=..%5C..",
        "publisher=DC%20Comics&series=Swamp%20Thing&volume=v1985%2F..%2F..",
    ],
)
def test_climbing_series_or_volume_is_invalid_path(world: World, query: str) -> None:
    response = world.client.get(f"{URL}?mode=filesystem&{query}", headers=auth(world.owner))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_path"
    assert world.a not in response.text


# --- metadata ----------------------------------------------------------------------------


def test_metadata_issues_in_issue_number_order_with_metadata_keys(world: World) -> None:
    body = world.json(URL, mode="metadata", series="Amazing Spider-Man")
    assert body["mode"] == "metadata"
    assert [item["number"] for item in body["items"]] == ["1", "1.5", "2", "3", "10", "Annual"]
    first = body["items"][0]
    assert set(first) == METADATA_KEYS
    assert {key: first[key] for key in ("title", "series", "number", "year", "publisher")} == {
        "title": "Spider-Man!",
        "series": "Amazing Spider-Man",
        "number": "1",
        "year": "1963",
        "publisher": "Marvel",
    }
    assert body["items"][1]["title"] == ""  # strings, "" when unknown


def test_metadata_issues_match_series_and_publisher_case_insensitively(world: World) -> None:
    assert world.json(URL, series=" amazing SPIDER-man ")["total"] == 6
    assert world.json(URL, series="Amazing Spider-Man", publisher="MARVEL")["total"] == 6
    assert world.json(URL, series="Amazing Spider-Man", publisher="DC Comics")["total"] == 0
    assert world.json(URL, series="Nothing")["total"] == 0


def test_metadata_issues_read_comicinfo_from_a_cbr(world: World) -> None:
    (item,) = world.json(URL, series="Fixture Series")["items"]
    assert (item["number"], item["year"], item["publisher"]) == ("7", "1999", "Fixture Comics")


def test_metadata_issues_sort_by_year_newest_first(world: World) -> None:
    body = world.json(URL, series="Amazing Spider-Man", sort="year")
    assert [item["year"] for item in body["items"]] == ["1965", "1964", *["1963"] * 4]


def test_metadata_issues_sort_by_recent_addition(world: World) -> None:
    body = world.json(URL, series="Amazing Spider-Man", sort="RECENT")
    assert [item["number"] for item in body["items"]] == ["1", "1.5", "2", "10", "Annual", "3"]


@pytest.mark.parametrize("params", [{}, {"publisher": "Marvel"}, {"series": ""}])
def test_metadata_issues_need_a_series(world: World, params: dict[str, str]) -> None:
    response = world.get(URL, mode="metadata", **params)
    assert response.status_code == 400
    assert response.json()["error"] == "Missing 'series' parameter"


# --- progress ------------------------------------------------------------------------------


def test_items_show_the_callers_progress_and_read_marks(world: World) -> None:
    reader, other = world.new_reader(), world.new_reader()
    states = world.app.container.progress_store()
    second = world.comic_id(f"{world.a}/{ASM}/Amazing Spider-Man #2.cbz")
    tenth = world.comic_id(f"{world.a}/{ASM}/Amazing Spider-Man #10.cbz")
    save_page(
        states, world.app.container.library_index(), world.user_id(reader), second, 5, world.now
    )
    mark_read(states, world.app.container.library_index(), world.user_id(reader), tenth, world.now)

    def by_id(token: str) -> dict[int, dict[str, Any]]:
        body = world.json(URL, token, series="Amazing Spider-Man")
        return {item["id"]: item for item in body["items"]}

    mine = by_id(reader)
    assert (mine[second]["has_progress"], mine[second]["last_page"]) == (True, 5)
    assert mine[second]["is_read"] is False
    assert mine[tenth]["is_read"] is True
    untouched = [item for key, item in mine.items() if key not in (second, tenth)]
    assert all(not i["has_progress"] and i["last_page"] is None for i in untouched)
    theirs = by_id(other)
    assert not any(item["has_progress"] or item["is_read"] for item in theirs.values())


def test_the_etag_changes_when_the_users_progress_does(world: World) -> None:
    reader = world.new_reader()
    before = world.get(URL, reader, series="Batman")
    comic = world.comic_id(f"{world.a}/DC Comics/Batman/Batman 001.cbz")
    save_page(
        world.app.container.progress_store(),
        world.app.container.library_index(),
        world.user_id(reader),
        comic,
        3,
        world.now,
    )
    headers = {**auth(reader), "If-None-Match": before.headers["etag"]}
    after = world.client.get(URL, params={"series": "Batman"}, headers=headers)
    assert after.status_code == 200
    assert after.json()["items"][0]["last_page"] == 3


def test_enrichment_costs_the_same_queries_whatever_the_page_size(world: World) -> None:
    engine = world.app.container.engine()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries(page_size: str) -> int:
        statements.clear()
        body = world.json(URL, series="Amazing Spider-Man", page_size=page_size)
        assert len(body["items"]) == int(page_size)
        return len(statements)

    world.json(URL, series="Amazing Spider-Man")  # the token's last_used_at is written once
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert queries("1") == queries("6")
    finally:
        event.remove(engine, "before_cursor_execute", count)
