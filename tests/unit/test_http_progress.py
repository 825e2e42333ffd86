"""``/progress``, ``/progress/since`` and ``/issues/read`` over a real scanned index (§6)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bagboard.domain.model import Role
from tests.archive_factory import jpeg, write_cbz
from tests.browse_support import ASM, World, auth

PROGRESS = "/api/v1/progress"
SINCE = "/api/v1/progress/since"
READ = "/api/v1/issues/read"
ISSUES = "/api/v1/library/issues"
ROW_KEYS = {
    "page_number",
    "total_pages",
    "updated_at",
    "time_spent",
    "updated_at_unix",
    "client_updated_at",
}


def put(world: World, token: str, body: Any) -> httpx.Response:
    return world.client.put(PROGRESS, json=body, headers=auth(token))


def saved(world: World, token: str, **body: Any) -> dict[str, Any]:
    response = put(world, token, body)
    assert response.status_code == 200, response.text
    row: dict[str, Any] = response.json()
    return row


def position(world: World, token: str, path: str) -> Any:
    response = world.get(PROGRESS, token, path=path)
    assert response.status_code == 200, response.text
    return response.json()


def feed(world: World, token: str, **params: Any) -> dict[str, Any]:
    return world.json(SINCE, token, **params)


def devices(world: World) -> tuple[str, str]:
    """Two tokens (two devices) of one new user."""
    first = world.new_reader()
    name = world.app.authenticator.authenticate(f"Bearer {first}", None).name
    return first, world.app.accounts.create_token(name).secret


# --- GET and PUT /progress -----------------------------------------------------------------


def test_no_position_is_the_json_literal_null(world: World) -> None:
    reader = world.new_reader()
    response = world.get(PROGRESS, reader, path=f"{world.a}/{ASM}/Amazing Spider-Man #1.cbz")
    assert response.status_code == 200
    assert response.content == b"null"
    assert response.headers["content-type"].startswith("application/json")


def test_a_saved_position_reads_back_in_the_compat_shape(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #1.cbz"
    before = int(time.time())
    row = saved(world, reader, path=path, page_number=5, total_pages=32, time_spent=120)
    assert set(row) == ROW_KEYS
    assert (row["page_number"], row["total_pages"], row["time_spent"]) == (5, 32, 120)
    assert before <= row["updated_at_unix"] <= int(time.time())
    assert (
        time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(row["updated_at_unix"]))
        == (row["updated_at"])
    )
    assert position(world, reader, path) == row
    assert world.client.head(PROGRESS, params={"path": path}, headers=auth(reader)).content == b""


def test_a_field_left_out_keeps_its_stored_value(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #2.cbz"
    saved(world, reader, path=path, page_number=5, total_pages=32, time_spent=120)
    row = saved(world, reader, path=path, page_number=6)
    assert (row["page_number"], row["total_pages"], row["time_spent"]) == (6, 32, 120)
    row = saved(world, reader, path=path, page_number=7, total_pages=None, time_spent=150)
    assert (row["page_number"], row["total_pages"], row["time_spent"]) == (7, 32, 150)


def test_numbers_as_the_reference_takes_them(world: World) -> None:
    reader = world.new_reader()
    row = saved(world, reader, path="/elsewhere/x.cbz", page_number="5", total_pages=32.0)
    assert (row["page_number"], row["total_pages"]) == (5, 32)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"page_number": 5}, "Missing 'path' or 'page_number'"),
        ({"path": "/x.cbz"}, "Missing 'path' or 'page_number'"),
        ({"path": "", "page_number": 1}, "Missing 'path' or 'page_number'"),
        ({"path": "/x.cbz", "page_number": None}, "Missing 'path' or 'page_number'"),
        ([1, 2], "Missing 'path' or 'page_number'"),
        ("a string", "Missing 'path' or 'page_number'"),
        ({"path": "/x.cbz", "page_number": "five"}, "page_number must be an integer"),
        ({"path": "/x.cbz", "page_number": 1.5}, "page_number must be an integer"),
        ({"path": "/x.cbz", "page_number": True}, "page_number must be an integer"),
        (
            {"path": "/x.cbz", "page_number": 1, "total_pages": "x"},
            "total_pages must be an integer",
        ),
        ({"path": "/x.cbz", "page_number": 1, "time_spent": []}, "time_spent must be an integer"),
        ({"path": "/x.cbz", "page_number": -1}, "page_number must not be negative"),
        (
            {"path": "/x.cbz", "page_number": 1, "total_pages": -3},
            "total_pages must not be negative",
        ),
        (
            {"path": "/x.cbz", "page_number": 1, "updated_at": "soon"},
            "updated_at must be an integer unix timestamp",
        ),
    ],
)
def test_invalid_bodies_are_400_with_the_reference_strings(
    world: World, body: Any, error: str
) -> None:
    reader = world.new_reader()
    response = put(world, reader, body)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert feed(world, reader)["total"] == 0


def test_a_body_that_is_not_json_is_400(world: World) -> None:
    headers = {**auth(world.new_reader()), "Content-Type": "application/json"}
    for content in (b"", b"{not json", b"null"):
        response = world.client.put(PROGRESS, content=content, headers=headers)
        assert response.status_code == 400
        assert response.json()["error"] == "Missing 'path' or 'page_number'"


def test_a_missing_path_parameter_is_400(world: World) -> None:
    for method in ("GET", "DELETE"):
        for url in (PROGRESS, READ) if method == "DELETE" else (PROGRESS,):
            response = world.client.request(method, url, headers=auth(world.owner))
            assert response.status_code == 400
            assert response.json()["error"] == "Missing 'path' parameter"


def test_a_literal_percent_or_plus_in_a_path_round_trips(world: World) -> None:
    reader = world.new_reader()
    indexed = f"{world.a}/Oddities/100% Pure/100% Pure 01.cbz"
    loose = f"{world.a}/Oddities/A+B %2B 50%.cbz"
    saved(world, reader, path=indexed, page_number=3)
    saved(world, reader, path=loose, page_number=4)
    assert position(world, reader, indexed)["page_number"] == 3
    assert position(world, reader, loose)["page_number"] == 4
    assert position(world, reader, f"{world.a}/Oddities/A B + 50%.cbz") is None
    paths = {item["comic_path"] for item in feed(world, reader)["items"]}
    assert paths == {indexed, loose}


# --- the conflict rule ------------------------------------------------------------------------


def test_an_older_timed_write_is_409_with_the_current_position(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #10.cbz"
    current = saved(world, reader, path=path, page_number=12, updated_at=200)
    assert current["client_updated_at"] == 200
    response = put(world, reader, {"path": path, "page_number": 30, "updated_at": 100})
    assert response.status_code == 409
    body = response.json()
    assert (body["error"], body["current"]) == ("stale", current)
    assert body["message"]
    assert position(world, reader, path) == current
    # Without a time the write applies, as the reference does.
    assert saved(world, reader, path=path, page_number=30)["page_number"] == 30


def test_a_device_clock_in_the_year_2100_does_not_freeze_syncing(world: World) -> None:
    """Contract §6: a device time far ahead of the server's is taken as the server's."""
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #1.cbz"
    year_2100 = 4_102_444_800
    wrong = saved(world, reader, path=path, page_number=5, updated_at=year_2100)
    server_now = wrong["client_updated_at"]
    assert server_now < year_2100 and server_now == wrong["updated_at_unix"]
    right = saved(world, reader, path=path, page_number=6, updated_at=server_now + 60)
    assert (right["page_number"], right["client_updated_at"]) == (6, server_now + 60)
    # The conflict rule still holds for what is really older.
    assert (
        put(world, reader, {"path": path, "page_number": 2, "updated_at": server_now}).status_code
        == 409
    )


def test_a_device_clock_a_little_behind_a_write_without_one_is_not_refused(world: World) -> None:
    """The KOReader sync notes, §4.6: writes without a device clock (here a read mark and a
    PUT without ``updated_at``) are stamped with the server's time; a device up to a minute
    behind it still saves, one further behind is refused."""
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #10.cbz"
    world.client.post(READ, json={"path": path}, headers=auth(reader))
    stamped = position(world, reader, path)["client_updated_at"]
    row = saved(world, reader, path=path, page_number=1, updated_at=stamped - 30)
    assert (row["page_number"], row["client_updated_at"]) == (1, stamped - 30)

    stamped = saved(world, reader, path=path, page_number=2)["client_updated_at"]
    late = put(world, reader, {"path": path, "page_number": 1, "updated_at": stamped - 90})
    assert late.status_code == 409
    assert late.json()["current"]["page_number"] == 2


def test_between_two_device_clocks_the_comparison_stays_exact(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #10.cbz"
    now = int(time.time())
    saved(world, reader, path=path, page_number=5, updated_at=now)
    behind = put(world, reader, {"path": path, "page_number": 4, "updated_at": now - 1})
    assert behind.status_code == 409


def test_two_devices_one_offline(world: World) -> None:
    """Device A reads offline to page 30 at t=100; B reads online to page 12 at t=200; A comes
    back and replays its write: 409, and the feed tells A that B's page 12 is current."""
    device_a, device_b = devices(world)
    path = f"{world.a}/DC Comics/Batman/Batman 001.cbz"
    last_sync = feed(world, device_a)["server_time"]

    saved(world, device_b, path=path, page_number=12, total_pages=24, updated_at=200)
    replay = put(world, device_a, {"path": path, "page_number": 30, "updated_at": 100})
    assert replay.status_code == 409
    assert replay.json()["current"]["page_number"] == 12

    items = feed(world, device_a, ts=last_sync)["items"]
    assert [(i["comic_path"], i["page_number"]) for i in items] == [(path, 12)]
    assert position(world, device_a, path)["page_number"] == 12
    listed = world.json(ISSUES, device_a, series="Batman")["items"]
    assert (listed[0]["has_progress"], listed[0]["last_page"]) == (True, 12)


# --- the feed ----------------------------------------------------------------------------------


def test_the_feed_envelope_and_items(world: World) -> None:
    reader = world.new_reader()
    first = saved(world, reader, path="/x/1.cbz", page_number=1, total_pages=9, time_spent=5)
    saved(world, reader, path="/x/2.cbz", page_number=2)
    body = feed(world, reader, ts=first["updated_at_unix"], page_size=1)
    assert {k: body[k] for k in ("total", "page", "page_size", "total_pages", "has_more")} == {
        "total": 2,
        "page": 1,
        "page_size": 1,
        "total_pages": 2,
        "has_more": True,
    }
    assert body["count"] == 1
    assert body["items"] == [
        {
            "comic_path": "/x/1.cbz",
            "page_number": 1,
            "total_pages": 9,
            "time_spent": 5,
            "updated_at": first["updated_at"],
            "updated_at_unix": first["updated_at_unix"],
        }
    ]
    assert isinstance(body["next_cursor"], str) and body["server_time"] >= first["updated_at_unix"]
    second = feed(world, reader, ts=first["updated_at_unix"], page=2, page_size=1)
    assert [i["comic_path"] for i in second["items"]] == ["/x/2.cbz"]
    assert (second["count"], second["has_more"]) == (1, False)
    # ts is inclusive, and anything later than every change finds nothing.
    assert feed(world, reader, ts=first["updated_at_unix"] + 3600)["items"] == []
    assert feed(world, reader, ts="")["total"] == 2
    assert feed(world, reader, ts="-5")["total"] == 2
    assert feed(world, reader, ts="99999999999999999999")["items"] == []


@pytest.mark.parametrize("ts", ["soon", "1.5", "1e3"])
def test_a_non_integer_ts_is_400(world: World, ts: str) -> None:
    response = world.get(SINCE, world.owner, ts=ts)
    assert response.status_code == 400
    assert response.json()["error"] == "ts must be an integer unix timestamp"


def test_a_forged_cursor_is_400(world: World) -> None:
    response = world.get(SINCE, world.owner, cursor="not-a-cursor")
    assert response.status_code == 400


def test_a_cleared_position_is_reported_once_as_deleted(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man Annual.cbz"
    saved(world, reader, path=path, page_number=4)
    cursor = feed(world, reader)["next_cursor"]
    response = world.client.delete(PROGRESS, params={"path": path}, headers=auth(reader))
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert position(world, reader, path) is None
    body = feed(world, reader, cursor=cursor)
    assert [(i["comic_path"], i.get("deleted")) for i in body["items"]] == [(path, True)]
    assert body["items"][0]["page_number"] is None
    assert feed(world, reader, cursor=body["next_cursor"])["items"] == []
    world.client.delete(PROGRESS, params={"path": path}, headers=auth(reader))  # again
    assert feed(world, reader, cursor=body["next_cursor"])["items"] == []
    assert feed(world, reader)["total"] == 1  # one row: the tombstone


def test_a_cursor_paged_feed_read_while_writes_continue_sees_every_change_once(
    world: World,
) -> None:
    reader, other_device = devices(world)
    pages = iter(range(1, 10_000))
    written: dict[int, str] = {}

    def write(path: str) -> None:
        page = next(pages)
        saved(world, other_device, path=path, page_number=page)
        written[page] = path

    for n in range(7):
        write(f"/sync/{n}.cbz")
    seen: list[dict[str, Any]] = []
    body = feed(world, reader, page_size=3)
    rounds = 0
    while True:
        seen.extend(body["items"])
        # Between pages: a comic already paged past changes again, and a new one appears.
        if rounds < 3:
            write(seen[rounds]["comic_path"])
            write(f"/sync/new {rounds}.cbz")
        rounds += 1
        if not body["has_more"] and rounds > 3:
            break
        body = feed(world, reader, cursor=body["next_cursor"], page_size=3)

    assert sorted(item["page_number"] for item in seen) == sorted(written)
    assert [item["comic_path"] for item in seen] == [written[item["page_number"]] for item in seen]
    stamps = [(i["updated_at_unix"], i["page_number"]) for i in seen]
    assert stamps == sorted(stamps, key=lambda s: s[0])


# --- read marks ----------------------------------------------------------------------------------


def test_marks_and_unmarks_show_in_lists_and_in_the_feed(world: World) -> None:
    reader, other_device = devices(world)
    path = f"{world.a}/Image/Saga/Saga 01.cbz"  # two pages
    cursor = feed(world, reader)["next_cursor"]
    body = {"path": path, "page_count": 32, "time_spent": 1800}
    response = world.client.post(READ, json=body, headers=auth(other_device))
    assert (response.status_code, response.json()) == (200, {"ok": True})
    listed = world.json(ISSUES, reader, series="Saga")["items"]
    assert listed[0]["is_read"] is True
    marked = feed(world, reader, cursor=cursor)
    # The position moves to the last page first (the index's count, not the one sent).
    moved, item = marked["items"]
    assert (moved["comic_path"], moved["page_number"], moved["total_pages"]) == (path, 2, 2)
    assert (item["comic_path"], item["read"], item["page_count"], item["time_spent"]) == (
        path,
        True,
        32,
        1800,
    )

    response = world.client.delete(READ, params={"path": path}, headers=auth(other_device))
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert world.json(ISSUES, reader, series="Saga")["items"][0]["is_read"] is False
    (item,) = feed(world, reader, cursor=marked["next_cursor"])["items"]
    assert (item["comic_path"], item["read"]) == (path, False)
    assert position(world, reader, path)["page_number"] == 2  # unmarking keeps the position


def test_marking_read_puts_the_position_at_the_last_page(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #2.cbz"  # two pages
    saved(world, reader, path=path, page_number=1, time_spent=90)
    before = position(world, reader, path)
    world.client.post(READ, json={"path": path}, headers=auth(reader))
    after = position(world, reader, path)
    assert (after["page_number"], after["total_pages"], after["time_spent"]) == (2, 2, 90)
    assert after["updated_at_unix"] >= before["updated_at_unix"]
    # Marking again, with the position already there, writes no new position.
    world.client.post(READ, json={"path": path}, headers=auth(reader))
    assert position(world, reader, path) == after


def test_marking_read_never_moves_a_later_position_back(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #2.cbz"  # two pages
    saved(world, reader, path=path, page_number=7, total_pages=9)
    world.client.post(READ, json={"path": path}, headers=auth(reader))
    assert (position(world, reader, path)["page_number"], listed_read(world, reader, path)) == (
        7,
        True,
    )


def listed_read(world: World, token: str, path: str) -> bool:
    read: bool = world.json(f"/api/v1/issue/{world.comic_id(path)}", token)["is_read"]
    return read


def test_marking_a_path_not_indexed_uses_the_page_count_sent(world: World) -> None:
    reader = world.new_reader()
    counted, uncounted = f"{world.a}/Nowhere/a.cbz", f"{world.a}/Nowhere/b.cbz"
    world.client.post(READ, json={"path": counted, "page_count": 24}, headers=auth(reader))
    world.client.post(READ, json={"path": uncounted}, headers=auth(reader))
    row = position(world, reader, counted)
    assert (row["page_number"], row["total_pages"]) == (24, 24)
    assert position(world, reader, uncounted) is None  # no count, no position
    kinds = [(item.get("read"), item["comic_path"]) for item in feed(world, reader)["items"]]
    assert kinds == [(None, counted), (True, counted), (True, uncounted)]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "Missing 'path'"),
        ({"page_count": 3}, "Missing 'path'"),
        ([], "Missing 'path'"),
        ({"path": "/x.cbz", "page_count": "many"}, "page_count must be an integer"),
        ({"path": "/x.cbz", "time_spent": -5}, "time_spent must not be negative"),
    ],
)
def test_invalid_read_marks_are_400(world: World, body: Any, error: str) -> None:
    response = world.client.post(READ, json=body, headers=auth(world.new_reader()))
    assert response.status_code == 400
    assert response.json()["error"] == error


# --- identity and users ------------------------------------------------------------------------


def test_a_path_not_indexed_is_kept_and_linked_when_the_comic_appears(world: World) -> None:
    reader = world.new_reader()
    relative = "Image/Invincible/Invincible 03.cbz"
    path = f"{world.a}/{relative}"
    saved(world, reader, path=path, page_number=8, total_pages=20)
    world.client.post(READ, json={"path": path}, headers=auth(reader))
    write_cbz(Path(world.a) / relative, {"p001.jpg": jpeg((10, 200, 10))})
    world.app.scanner().scan(world.lib_a)

    listed = world.json(ISSUES, reader, mode="filesystem", publisher="Image", series="Invincible")
    by_name = {item["name"]: item for item in listed["items"]}
    assert (by_name["Invincible 03.cbz"]["last_page"], by_name["Invincible 03.cbz"]["is_read"]) == (
        8,
        True,
    )
    row = saved(world, reader, path=path, page_number=9)
    assert (row["page_number"], row["total_pages"]) == (9, 20)
    assert feed(world, reader)["total"] == 2  # one position, one mark


def test_a_position_follows_its_comic_through_a_rename(world: World) -> None:
    reader = world.new_reader()
    old = f"{world.a}/Vol 2 Press/Thing/Thing 01.cbz"
    new = f"{world.a}/Vol 2 Press/Thing/Thing 001 (renamed).cbz"
    saved(world, reader, path=old, page_number=2, total_pages=2, updated_at=500)
    comic_id = world.comic_id(old)
    Path(old).rename(new)
    world.app.scanner().scan(world.lib_a)
    assert world.comic_id(new) == comic_id

    assert position(world, reader, new)["page_number"] == 2
    assert position(world, reader, old) is None
    assert [i["comic_path"] for i in feed(world, reader)["items"]] == [new]
    stale = put(world, reader, {"path": new, "page_number": 1, "updated_at": 400})
    assert stale.status_code == 409


def test_a_position_survives_its_comic_leaving_the_index_and_coming_back(
    world: World, tmp_path: Path
) -> None:
    reader = world.new_reader()
    path = f"{world.a}/Vol 10 Press/Thing/Thing 01.cbz"
    saved(world, reader, path=path, page_number=2, total_pages=2, time_spent=60)
    world.client.post(READ, json={"path": path, "page_count": 2}, headers=auth(reader))
    old_id = world.comic_id(path)
    Path(path).rename(tmp_path / "away.cbz")
    world.app.scanner().scan(world.lib_a)
    assert world.app.container.library_index().comic_at(path) is None
    assert position(world, reader, path)["page_number"] == 2  # kept by its path meanwhile
    (tmp_path / "away.cbz").rename(path)
    world.app.scanner().scan(world.lib_a)
    assert world.comic_id(path) != old_id

    assert position(world, reader, path)["time_spent"] == 60
    listed = world.json(ISSUES, reader, mode="filesystem", publisher="Vol 10 Press", series="Thing")
    (item,) = listed["items"]
    assert (item["last_page"], item["is_read"]) == (2, True)


def test_positions_and_marks_are_per_user(world: World) -> None:
    alice, bob = world.new_reader(), world.new_reader()
    path = f"{world.a}/{ASM}/Amazing Spider-Man #1.5.cbz"
    saved(world, alice, path=path, page_number=7, updated_at=1000)
    world.client.post(READ, json={"path": path}, headers=auth(alice))
    assert position(world, bob, path) is None
    assert feed(world, bob)["total"] == 0
    # Bob's older time is no conflict with Alice's write.
    assert saved(world, bob, path=path, page_number=1, updated_at=10)["page_number"] == 1
    assert position(world, alice, path)["page_number"] == 7

    def state(token: str) -> tuple[Any, ...]:
        items = world.json(ISSUES, token, series="Amazing Spider-Man")["items"]
        (item,) = [i for i in items if i["path"] == path]
        return item["last_page"], item["is_read"]

    assert (state(alice), state(bob)) == ((7, True), (1, False))


def test_a_comic_the_user_may_not_see_is_just_a_path(world: World) -> None:
    path = f"{world.b}/Secret Press/Hidden/Hidden 01.cbz"
    name = "kid2"
    world.app.accounts.add_user(name, Role.READER, [world.lib_a.id])
    kid = world.app.accounts.create_token(name).secret
    saved(world, kid, path=path, page_number=3)
    assert position(world, kid, path)["page_number"] == 3
    owner_reader = world.new_reader()
    assert position(world, owner_reader, path) is None
    saved(world, owner_reader, path=path, page_number=5)
    assert position(world, kid, path)["page_number"] == 3
