"""Favorites and to-read: writes, reads and their wire shapes (contract §4.5).

Each test writes as a user of its own, so the shared collection stays as built.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from tests.browse_support import ASM, SWAMP, World, auth
from tests.progress_writes import save_page

FAVORITES = "/api/v1/library/favorites"
TO_READ = "/api/v1/library/to-read"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
OK = {"ok": True}


def favorite(world: World, token: str, body: Any) -> httpx.Response:
    return world.client.put(FAVORITES, json=body, headers=auth(token))


def want(world: World, token: str, body: Any) -> httpx.Response:
    return world.client.post(TO_READ, json=body, headers=auth(token))


def remove(world: World, url: str, token: str, path: str) -> httpx.Response:
    return world.client.delete(url, params={"path": path}, headers=auth(token))


def items(world: World, url: str, token: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = world.json(url, token)["items"]
    return listed


# --- favorites ---------------------------------------------------------------------------


def test_favorites_round_trip(world: World) -> None:
    reader = world.new_reader()
    marvel = f"{world.a}/Marvel"
    assert favorite(world, reader, {"path": marvel}).json() == OK
    body = world.json(FAVORITES, reader)
    assert (body["scope"], body["total"]) == ("favorites", 1)
    (item,) = body["items"]
    assert STAMP.match(item.pop("created_at"))
    assert item == {"value": "Marvel", "name": "Marvel", "path": marvel, "type": "publisher"}
    response = remove(world, FAVORITES, reader, marvel)
    assert (response.status_code, response.json()) == (200, OK)
    assert items(world, FAVORITES, reader) == []


def test_favorite_writes_are_idempotent(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/Image"
    assert favorite(world, reader, {"path": path}).status_code == 200
    first = items(world, FAVORITES, reader)
    assert favorite(world, reader, {"path": path}).status_code == 200
    assert items(world, FAVORITES, reader) == first  # one row, first time kept
    assert remove(world, FAVORITES, reader, path).status_code == 200
    assert remove(world, FAVORITES, reader, path).json() == OK


def test_favorites_are_listed_by_name_case_insensitively(world: World) -> None:
    reader = world.new_reader()
    for name in ("Oddities", "archie", "DC Comics"):
        favorite(world, reader, {"path": f"{world.a}/{name}"})
    assert [i["name"] for i in items(world, FAVORITES, reader)] == [
        "archie",
        "DC Comics",
        "Oddities",
    ]


def test_favorites_take_folders_only(world: World) -> None:
    reader = world.new_reader()
    response = favorite(world, reader, {"path": f"{world.a}/DC Comics/Batman/Batman 001.cbz"})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


# --- to-read -----------------------------------------------------------------------------


def test_to_read_rows_newest_first_with_their_extra_keys(world: World) -> None:
    reader = world.new_reader()
    issue = f"{world.a}/{ASM}/Amazing Spider-Man #2.cbz"
    for body in (
        {"path": issue},
        {"path": f"{world.a}/{SWAMP}", "type": "folder"},
        {"path": f"{world.a}/{SWAMP}/v1985"},
        {"path": f"{world.a}/Image"},
    ):
        assert want(world, reader, body).json() == OK
    body = world.json(TO_READ, reader)
    assert (body["scope"], body["total"]) == ("to_read", 4)
    for item in body["items"]:
        assert STAMP.match(item.pop("created_at"))
    publisher, volume, series, file = body["items"]
    assert publisher == {
        "value": "Image",
        "name": "Image",
        "path": f"{world.a}/Image",
        "type": "folder",
    }
    assert volume == {
        "value": "Swamp Thing v1985",
        "name": "Swamp Thing v1985",
        "path": f"{world.a}/{SWAMP}/v1985",
        "type": "folder",
        "series": "Swamp Thing",
        "volume": "v1985",
    }
    assert series == {
        "value": "Swamp Thing",
        "name": "Swamp Thing",
        "path": f"{world.a}/{SWAMP}",
        "type": "folder",
        "volumes": ["v1972", "v1985"],
    }
    assert file == {
        "value": "Amazing Spider-Man #2.cbz",
        "name": "Amazing Spider-Man #2.cbz",
        "path": issue,
        "type": "file",
        "id": world.comic_id(issue),
        "has_progress": False,
        "last_page": None,
    }


def test_to_read_file_rows_show_progress(world: World) -> None:
    reader = world.new_reader()
    issue = f"{world.a}/DC Comics/Batman/Batman 001.cbz"
    want(world, reader, {"path": issue, "type": "file"})
    states = world.app.container.progress_store()
    save_page(
        states,
        world.app.container.library_index(),
        world.user_id(reader),
        world.comic_id(issue),
        7,
        world.now,
    )
    (row,) = items(world, TO_READ, reader)
    assert (row["has_progress"], row["last_page"]) == (True, 7)


def test_to_read_is_idempotent_and_per_user(world: World) -> None:
    reader, other = world.new_reader(), world.new_reader()
    path = f"{world.a}/Oddities/Plain"
    want(world, reader, {"path": path})
    first = items(world, TO_READ, reader)
    assert want(world, reader, {"path": path}).json() == OK
    assert items(world, TO_READ, reader) == first
    assert items(world, TO_READ, other) == []
    assert items(world, FAVORITES, other) == []
    assert remove(world, TO_READ, other, path).json() == OK  # not theirs: nothing happens
    assert items(world, TO_READ, reader) == first
    assert remove(world, TO_READ, reader, path).json() == OK
    assert items(world, TO_READ, reader) == []


def test_paths_are_used_exactly_as_decoded_once(world: World) -> None:
    reader = world.new_reader()
    path = f"{world.a}/Oddities/100% Pure/100% Pure 01.cbz"
    assert want(world, reader, {"path": path}).json() == OK
    assert [row["path"] for row in items(world, TO_READ, reader)] == [path]
    # A client encodes the literal "%" as %25; it must not be decoded a second time.
    assert remove(world, TO_READ, reader, path).json() == OK
    assert items(world, TO_READ, reader) == []


@pytest.mark.parametrize(
    ("relative", "kind"),
    [("DC Comics/Batman", "file"), ("DC Comics/Batman/Batman 001.cbz", "folder")],
)
def test_to_read_type_must_match_what_is_there(world: World, relative: str, kind: str) -> None:
    response = want(world, world.new_reader(), {"path": f"{world.a}/{relative}", "type": kind})
    assert response.status_code == 404


def test_to_read_refuses_an_unknown_type(world: World) -> None:
    response = want(world, world.new_reader(), {"path": f"{world.a}/Image", "type": "shelf"})
    assert response.status_code == 400


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/etc", "/etc/passwd", "{a}/Nope", "{a}/Image/Nope.cbz", "Marvel"]
)
@pytest.mark.parametrize("write", [favorite, want])
def test_a_path_outside_the_users_libraries_or_not_indexed_is_404(
    world: World, write: Any, path: str
) -> None:
    response = write(world, world.new_reader(), {"path": path.format(a=world.a)})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert world.a not in response.text


@pytest.mark.parametrize("url", [FAVORITES, TO_READ])
def test_deleting_outside_the_libraries_is_404(world: World, url: str) -> None:
    assert remove(world, url, world.new_reader(), "/etc").status_code == 404


@pytest.mark.parametrize("url", [FAVORITES, TO_READ])
def test_deleting_needs_a_path(world: World, url: str) -> None:
    response = world.client.delete(url, headers=auth(world.owner))
    assert response.status_code == 400
    assert response.json()["error"] == "Missing 'path' parameter"


@pytest.mark.parametrize(
    "content", [b"", b"nope", b"[1, 2]", b'"path"', b"{}", b'{"path": ""}', b'{"path": 5}']
)
@pytest.mark.parametrize(("method", "url"), [("PUT", FAVORITES), ("POST", TO_READ)])
def test_a_body_without_a_path_is_400(world: World, method: str, url: str, content: bytes) -> None:
    headers = {**auth(world.owner), "Content-Type": "application/json"}
    response = world.client.request(method, url, content=content, headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Missing 'path'"
    assert set(body) == {"error", "message"}


@pytest.mark.parametrize("url", [FAVORITES, TO_READ])
def test_shelf_lists_have_etags_and_answer_head(world: World, url: str) -> None:
    got = world.get(url)
    assert got.headers["etag"].startswith('W/"')
    head = world.client.head(url, headers=auth(world.owner))
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == got.headers["etag"]
    cached = world.client.get(
        url, headers={**auth(world.owner), "If-None-Match": got.headers["etag"]}
    )
    assert cached.status_code == 304


def test_to_read_costs_the_same_queries_for_one_folder_row_or_many(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = world.app.container.engine()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    # List reads run on the lean path, which SQLAlchemy's events do not see: count those too.
    run_lean = LeanConnection.all

    def lean_all(self: LeanConnection, statement: Prepared, **values: Any) -> list[Any]:
        statements.append(str(statement.statement))
        return run_lean(self, statement, **values)

    monkeypatch.setattr(LeanConnection, "all", lean_all)

    def queries(token: str) -> int:
        world.json(TO_READ, token)  # the token's last_used_at is written on first use
        statements.clear()
        world.json(TO_READ, token)
        # Who is asking is remembered until accounts change; not counted either way.
        accounts = ("api_tokens", "users", "libraries", "settings")
        return sum(1 for s in statements if not any(f"FROM {t}" in s for t in accounts))

    one, many = world.new_reader(), world.new_reader()
    want(world, one, {"path": f"{world.a}/{SWAMP}"})
    for folder in (SWAMP, f"{SWAMP}/v1985", f"{SWAMP}/v1972", "Image", ASM):
        want(world, many, {"path": f"{world.a}/{folder}"})
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert queries(one) == queries(many) >= 2  # the shelf's count and its page, at least
    finally:
        event.remove(engine, "before_cursor_execute", count)
