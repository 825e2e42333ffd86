"""``/komga`` read-progress writes and the tracker sync, against the one progress store that
``/api/v1`` and OPDS read, on every SQL backend. Every comic of the world has two pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bagboard.domain.model import Role
from tests.browse_support import ASM, BACKENDS, World, auth, browse_world
from tests.unit.komga_support import INSTANT, basic, kjson

PAGES = 2
BATMAN = "DC Comics/Batman/Batman 001.cbz"
SPIDER = "Amazing Spider-Man"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


_names = iter(range(1, 10_000))


def reader(world: World, token_name: str = "Komelia on the tablet") -> tuple[str, str]:
    """A new user (sees everything) and the secret of a token with ``token_name``."""
    name = f"komga-reader{next(_names)}"
    world.app.accounts.add_user(name, Role.READER, None)
    return name, world.app.accounts.create_token(name, token_name).secret


def call(
    world: World, method: str, path: str, token: str | None, body: Any = None
) -> httpx.Response:
    world.client.cookies.clear()
    headers = {} if token is None else {"X-API-Key": token}
    if body is None:
        return world.client.request(method, f"/komga{path}", headers=headers)
    if isinstance(body, bytes):
        headers["Content-Type"] = "application/json"
        return world.client.request(method, f"/komga{path}", headers=headers, content=body)
    return world.client.request(method, f"/komga{path}", headers=headers, json=body)


def patch(world: World, book: int, token: str, body: Any) -> httpx.Response:
    return call(world, "PATCH", f"/api/v1/books/{book}/read-progress", token, body)


def book(world: World, book_id: int, token: str) -> dict[str, Any]:
    found: dict[str, Any] = kjson(world, f"/api/v1/books/{book_id}", token)
    return found


def api_position(world: World, token: str, relative: str) -> Any:
    response = world.get("/api/v1/progress", token, path=f"{world.a}/{relative}")
    assert response.status_code == 200
    return response.json()


def is_read(world: World, token: str, relative: str) -> bool:
    return bool(
        world.json(f"/api/v1/issue/{world.comic_id(f'{world.a}/{relative}')}", token)["is_read"]
    )


def spider(world: World, token: str) -> tuple[str, list[dict[str, Any]]]:
    """Amazing Spider-Man in library A: its id and books in numberSort order."""
    page = kjson(world, "/api/v1/series", token, search=SPIDER, library_id=str(world.lib_a.id))
    series_id = next(s["id"] for s in page["content"] if s["name"] == SPIDER)
    books = kjson(world, f"/api/v1/series/{series_id}/books", token, unpaged="true")["content"]
    assert len(books) == 5
    return series_id, books


def tachiyomi(world: World, series_id: str, token: str) -> dict[str, Any]:
    found: dict[str, Any] = kjson(
        world, f"/api/v2/series/{series_id}/read-progress/tachiyomi", token
    )
    return found


def batman(world: World) -> int:
    return world.comic_id(f"{world.a}/{BATMAN}")


# --- book PATCH and DELETE ----------------------------------------------------------------------


def test_a_patched_page_is_the_position_api_and_opds_read(world: World) -> None:
    _, token = reader(world)
    assert book(world, batman(world), token)["readProgress"] is None
    response = patch(world, batman(world), token, {"page": 1, "someNewKey": [1]})
    assert (response.status_code, response.content) == (204, b"")
    assert api_position(world, token, BATMAN)["page_number"] == 1
    assert not is_read(world, token, BATMAN)
    opds = world.get(f"/opds/v2.0/issue/{batman(world)}/progression", token)
    assert opds.status_code == 200 and opds.json()["position"] == 1
    token_id = world.app.authenticator.credential(f"Bearer {token}").token.id
    assert opds.json()["device"] == {
        "id": f"urn:bagboard:token:{token_id}",
        "name": "Komelia on the tablet",
    }
    progress = book(world, batman(world), token)["readProgress"]
    assert (progress["page"], progress["completed"]) == (1, False)
    assert progress["deviceId"] == f"urn:bagboard:token:{token_id}"
    assert progress["deviceName"] == "Komelia on the tablet"
    assert INSTANT.match(progress["lastModified"]) and INSTANT.match(progress["readDate"])


def test_the_last_page_marks_the_book_read_and_an_earlier_one_reads_it_again(world: World) -> None:
    _, token = reader(world)
    assert patch(world, batman(world), token, {"page": PAGES}).status_code == 204
    assert is_read(world, token, BATMAN)
    progress = book(world, batman(world), token)["readProgress"]
    assert (progress["page"], progress["completed"]) == (PAGES, True)
    # Komga: reading it again from page 1 drops the read mark.
    assert patch(world, batman(world), token, {"page": 1.0}).status_code == 204
    assert not is_read(world, token, BATMAN)
    assert book(world, batman(world), token)["readProgress"]["completed"] is False


def test_completed_true_marks_read_at_the_last_page(world: World) -> None:
    _, token = reader(world)
    assert patch(world, batman(world), token, {"completed": True}).status_code == 204
    assert is_read(world, token, BATMAN)
    assert api_position(world, token, BATMAN)["page_number"] == PAGES
    progress = book(world, batman(world), token)["readProgress"]
    assert (progress["page"], progress["completed"]) == (PAGES, True)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"completed": False},
        {"completed": None, "page": None},
        {"page": 0},
        {"page": -1},
        {"page": PAGES + 1},
        {"page": 0, "completed": True},
        {"page": "1"},
        {"page": True},
        {"page": 1.5},
        {"page": 1, "completed": "yes"},
        [1],
        b"not json",
        b"",
    ],
)
def test_a_refused_body_is_a_400_spring_error_and_writes_nothing(world: World, body: Any) -> None:
    _, token = reader(world)
    response = patch(world, batman(world), token, body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert set(error) == {"timestamp", "status", "error", "message", "path"}
    assert (error["status"], error["error"]) == (400, "Bad Request")
    assert error["path"] == f"/komga/api/v1/books/{batman(world)}/read-progress"
    assert book(world, batman(world), token)["readProgress"] is None
    assert api_position(world, token, BATMAN) is None


def test_delete_clears_the_position_and_mark_and_leaves_a_tombstone(world: World) -> None:
    _, token = reader(world)
    assert patch(world, batman(world), token, {"completed": True}).status_code == 204
    cursor = world.json("/api/v1/progress/since", token)["next_cursor"]
    response = call(world, "DELETE", f"/api/v1/books/{batman(world)}/read-progress", token)
    assert (response.status_code, response.content) == (204, b"")
    assert api_position(world, token, BATMAN) is None
    assert not is_read(world, token, BATMAN)
    assert book(world, batman(world), token)["readProgress"] is None
    items = world.json("/api/v1/progress/since", token, cursor=cursor)["items"]
    path = f"{world.a}/{BATMAN}"
    assert any(i["comic_path"] == path and i.get("deleted") is True for i in items), items
    assert any(i["comic_path"] == path and i.get("read") is False for i in items), items


def test_unknown_books_are_404(world: World) -> None:
    _, token = reader(world)
    for book_id in ("999999", "abc", "-1"):
        response = patch(world, book_id, token, {"page": 1})  # type: ignore[arg-type]
        assert response.status_code == 404, book_id
        assert response.json()["status"] == 404
        gone = call(world, "DELETE", f"/api/v1/books/{book_id}/read-progress", token)
        assert gone.status_code == 404


# --- series -------------------------------------------------------------------------------------


def test_series_post_marks_every_book_read_and_delete_clears_them(world: World) -> None:
    _, token = reader(world)
    series_id, books = spider(world, token)
    assert patch(world, int(books[1]["id"]), token, {"page": 1}).status_code == 204
    response = call(world, "POST", f"/api/v1/series/{series_id}/read-progress", token)
    assert (response.status_code, response.content) == (204, b"")
    series = kjson(world, f"/api/v1/series/{series_id}", token)
    assert (series["booksReadCount"], series["booksUnreadCount"]) == (5, 0)
    relative = f"{ASM}/{SPIDER} #10.cbz"
    assert is_read(world, token, relative)
    # Library B's Amazing Spider-Man is another Komga series: untouched.
    assert not is_read_b(world, token, f"{ASM}/{SPIDER} #3.cbz")
    response = call(world, "DELETE", f"/api/v1/series/{series_id}/read-progress", token)
    assert response.status_code == 204
    series = kjson(world, f"/api/v1/series/{series_id}", token)
    assert (series["booksReadCount"], series["booksInProgressCount"]) == (0, 0)
    assert series["booksUnreadCount"] == 5
    assert not is_read(world, token, relative)
    assert api_position(world, token, f"{ASM}/{SPIDER} #1.5.cbz") is None


def is_read_b(world: World, token: str, relative: str) -> bool:
    issue = world.comic_id(f"{world.b}/{relative}")
    return bool(world.json(f"/api/v1/issue/{issue}", token)["is_read"])


def test_the_tracker_reads_patches_and_a_put_with_gaps_never_unmarks(world: World) -> None:
    _, token = reader(world)
    series_id, books = spider(world, token)
    sorts = [b["metadata"]["numberSort"] for b in books]
    assert sorts == sorted(sorts) and len(set(sorts)) == 5
    start = tachiyomi(world, series_id, token)
    assert start == {
        "booksCount": 5,
        "booksReadCount": 0,
        "booksUnreadCount": 5,
        "booksInProgressCount": 0,
        "lastReadContinuousNumberSort": 0,
        "maxNumberSort": sorts[-1],
    }
    ids = [int(b["id"]) for b in books]
    assert patch(world, ids[0], token, {"completed": True}).status_code == 204
    assert patch(world, ids[3], token, {"completed": True}).status_code == 204
    assert patch(world, ids[2], token, {"page": 1}).status_code == 204
    state = tachiyomi(world, series_id, token)
    assert state["lastReadContinuousNumberSort"] == sorts[0]
    assert (state["booksReadCount"], state["booksInProgressCount"]) == (2, 1)
    # Up to the second book: it is marked, the third stays in progress, the fourth stays read.
    url = f"/api/v2/series/{series_id}/read-progress/tachiyomi"
    response = call(world, "PUT", url, token, {"lastBookNumberSortRead": sorts[1]})
    assert (response.status_code, response.content) == (204, b"")
    state = tachiyomi(world, series_id, token)
    assert state["lastReadContinuousNumberSort"] == sorts[1]
    assert (state["booksReadCount"], state["booksInProgressCount"]) == (3, 1)
    # A smaller value unmarks nothing.
    assert call(world, "PUT", url, token, {"lastBookNumberSortRead": 0}).status_code == 204
    assert tachiyomi(world, series_id, token)["booksReadCount"] == 3
    # Up to the end: everything read, continuous to the last.
    assert call(world, "PUT", url, token, {"lastBookNumberSortRead": sorts[-1]}).status_code == 204
    state = tachiyomi(world, series_id, token)
    assert (state["booksReadCount"], state["lastReadContinuousNumberSort"]) == (5, sorts[-1])
    for bad in ({}, {"lastBookNumberSortRead": "3"}, {"lastBookNumberSortRead": True}, [3]):
        assert call(world, "PUT", url, token, bad).status_code == 400, bad


def test_read_list_tracker_routes_are_404_for_a_list_that_does_not_exist(world: World) -> None:
    _, token = reader(world)
    url = "/api/v1/readlists/1/read-progress/tachiyomi"
    for method, body in (("GET", None), ("PUT", {"lastBookRead": 1})):
        response = call(world, method, url, token, body)
        assert response.status_code == 404
        assert response.json()["error"] == "Not Found"


# --- one store, other protocols -----------------------------------------------------------------


def test_an_api_v1_write_shows_in_read_progress(world: World) -> None:
    _, token = reader(world)
    path = f"{world.a}/{BATMAN}"
    saved = world.client.put(
        "/api/v1/progress", json={"path": path, "page_number": 1}, headers=auth(token)
    )
    assert saved.status_code == 200
    progress = book(world, batman(world), token)["readProgress"]
    assert (progress["page"], progress["completed"]) == (1, False)
    marked = world.client.post("/api/v1/issues/read", json={"path": path}, headers=auth(token))
    assert marked.status_code == 200
    progress = book(world, batman(world), token)["readProgress"]
    assert progress["completed"] is True


def test_an_api_v1_position_outside_the_book_shows_as_a_page_within_it(world: World) -> None:
    _, token = reader(world)
    path = f"{world.a}/{BATMAN}"
    for stored, shown in ((0, 1), (PAGES + 5, PAGES)):
        saved = world.client.put(
            "/api/v1/progress", json={"path": path, "page_number": stored}, headers=auth(token)
        )
        assert saved.status_code == 200, saved.text
        assert book(world, batman(world), token)["readProgress"]["page"] == shown


def test_a_session_cookie_write_is_attributed_to_the_token_behind_it(world: World) -> None:
    name, token = reader(world, "Mihon")
    world.client.cookies.clear()
    login = world.client.get("/komga/api/v2/users/me", headers=basic(name, token))
    assert login.status_code == 200
    response = world.client.patch(
        f"/komga/api/v1/books/{batman(world)}/read-progress", json={"page": 1}
    )
    assert response.status_code == 204
    assert book(world, batman(world), token)["readProgress"]["deviceName"] == "Mihon"


# --- scoping and auth ---------------------------------------------------------------------------


def test_a_scoped_user_gets_404_for_what_it_may_not_see(world: World) -> None:
    hidden = world.comic_id(f"{world.b}/Secret Press/Hidden/Hidden 01.cbz")
    owner_series = kjson(world, "/api/v1/series", world.owner, search="Hidden")["content"][0]["id"]
    for method, path, body in (
        ("PATCH", f"/api/v1/books/{hidden}/read-progress", {"page": 1}),
        ("DELETE", f"/api/v1/books/{hidden}/read-progress", None),
        ("POST", f"/api/v1/series/{owner_series}/read-progress", None),
        ("DELETE", f"/api/v1/series/{owner_series}/read-progress", None),
        ("GET", f"/api/v2/series/{owner_series}/read-progress/tachiyomi", None),
        (
            "PUT",
            f"/api/v2/series/{owner_series}/read-progress/tachiyomi",
            {"lastBookNumberSortRead": 9},
        ),
    ):
        response = call(world, method, path, world.kid, body)
        assert response.status_code == 404, (method, path)
    assert kjson(world, f"/api/v1/series/{owner_series}", world.owner)["booksReadCount"] == 0
    issue = world.json(f"/api/v1/issue/{hidden}", world.owner)
    assert issue["is_read"] is False and issue["progress"] is None


def test_no_credentials_is_401(world: World) -> None:
    for method, path in (
        ("PATCH", f"/api/v1/books/{batman(world)}/read-progress"),
        ("DELETE", f"/api/v1/books/{batman(world)}/read-progress"),
        ("POST", "/api/v1/series/1/read-progress"),
        ("GET", "/api/v2/series/1/read-progress/tachiyomi"),
        ("PUT", "/api/v2/series/1/read-progress/tachiyomi"),
    ):
        response = call(world, method, path, None, {"page": 1} if method == "PATCH" else None)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"].startswith("Basic")


def test_an_error_echoes_the_path_as_sent_never_decoded_into_a_folder(world: World) -> None:
    _, token = reader(world)
    encoded = world.a.replace("/", "%2F")
    response = call(world, "PATCH", f"/api/v1/books/{encoded}/read-progress", token, {"page": 1})
    assert response.status_code == 404
    assert response.json()["path"] == f"/komga/api/v1/books/{encoded}/read-progress"
    assert world.a not in response.text
