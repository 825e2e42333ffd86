"""``/komga`` read lists: CBL reading lists imported through ``ReadingListService``, then read
through the calls Mihon's extension (EXT) and tracker (TRK) and Komelia (KC) make, each
response decoded with that app's rules; scoping, errors and deletion. On every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.adapters.http.komga import readlist_views
from bagboard.adapters.readlists import parse_cbl
from tests.browse_support import BACKENDS
from tests.komga.readlist_world import ListWorld, list_world
from tests.komga.replay import Replay, basic
from tests.readlist_support import cbl
from tests.unit.komga_support import INSTANT

EXT_HEADERS = {"User-Agent": "TachiyomiKomga/0.18.0"}
TRK_HEADERS = {"User-Agent": "Mihon v0.18.0 (app.mihon)"}
SPRING_ERROR_KEYS = {"timestamp", "status", "error", "message", "path"}
CW1, CW2 = "Civil War/Civil War 001.cbz", "Civil War/Civil War 002.cbz"
ASM_A, ASM_B = "Spider-Man/ASM 532 (a).cbz", "Spider-Man 2/ASM 532 (b).cbz"
SW1 = "Secret Wars/Secret Wars 001.cbz"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListWorld]:
    with list_world(request.param, tmp_path_factory.mktemp(f"komga-lists-{request.param}")) as w:
        yield w


def _event_ids(world: ListWorld) -> list[str]:
    """The owner's event in list order, each comic once (ASM: whichever copy it linked)."""
    asm = {world.comic_id(ASM_A), world.comic_id(ASM_B)}
    ids = world.json(f"/api/v1/readlists/{world.lists['Civil War Event']}")["bookIds"]
    assert ids[1] in asm
    return [world.comic_id(CW1), ids[1], world.comic_id(CW2), world.comic_id(SW1)]


def _names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["content"]]


# --- Mihon's extension -------------------------------------------------------------------------


def test_extension_browses_a_read_list_its_chapters_and_cover(world: ListWorld) -> None:
    ext = Replay(world.http("owner"), "EXT", dict(EXT_HEADERS))
    browse = "api/v1/readlists?search=&page=0&deleted=false&sort=name,asc"
    page = ext.json("GET", browse, "Page<ReadList>")
    assert _names(page) == ["Civil War Event", "Everyone's Wars"]
    event = page["content"][0]
    assert event["id"] == world.lists["Civil War Event"]

    detail = ext.json("GET", f"api/v1/readlists/{event['id']}", "ReadList")
    expected = _event_ids(world)
    assert detail["bookIds"] == expected  # list order, the repeated CW #1 once, no missing book
    assert (detail["ordered"], detail["filtered"]) == (True, False)
    assert detail["summary"] == "Civil War Event in order"
    assert INSTANT.match(detail["createdDate"]) and INSTANT.match(detail["lastModifiedDate"])

    chapters = ext.json(
        "GET",
        f"api/v1/readlists/{event['id']}/books?unpaged=true&media_status=READY&deleted=false",
        "Page<Book>",
    )
    assert [book["id"] for book in chapters["content"]] == expected
    assert chapters["totalElements"] == 4
    assert chapters["content"][3]["seriesTitle"] == "Secret Wars"

    cover = ext.call("GET", f"api/v1/readlists/{event['id']}/thumbnail", image=True)
    assert cover.headers["content-type"] == "image/jpeg"
    assert cover.content.startswith(b"\xff\xd8\xff")

    searched = ext.json(
        "GET", "api/v1/readlists?search=wars&page=0&deleted=false", "Page<ReadList>"
    )
    assert _names(searched) == ["Everyone's Wars"]


def test_read_lists_sort_by_name_and_dates(world: ListWorld) -> None:
    assert _names(world.json("/api/v1/readlists", sort="name,desc")) == [
        "Everyone's Wars",
        "Civil War Event",
    ]
    # Imported in this order: the event first.
    assert _names(world.json("/api/v1/readlists", sort="createdDate,desc"))[0] == "Everyone's Wars"
    assert _names(world.json("/api/v1/readlists", sort="createdDate,asc"))[0] == "Civil War Event"
    paged = world.json("/api/v1/readlists", page="1", size="1", sort="name,asc")
    assert _names(paged) == ["Everyone's Wars"] and paged["totalElements"] == 2
    assert _names(world.json("/api/v1/readlists/")) == _names(world.json("/api/v1/readlists"))


# --- Mihon's tracker ---------------------------------------------------------------------------


def test_tracker_reads_and_marks_the_first_books_of_a_read_list(world: ListWorld) -> None:
    http = world.http("reader")
    token = http.headers.pop("X-API-Key")
    ext = Replay(http, "EXT", dict(EXT_HEADERS))
    # The extension signs in (Basic after a 401); the tracker then rides on its cookie.
    assert ext.call("GET", "api/v1/libraries", expect=(401,)).status_code == 401
    ext.call("GET", "api/v1/libraries", headers={"Authorization": basic("reader", token)})
    assert http.cookies
    run = world.lists["Reader Run"]
    trk = Replay(http, "TRK", dict(TRK_HEADERS))
    entity = trk.json("GET", f"api/v1/readlists/{run}", "ReadList")
    url = f"api/v1/readlists/{run}/read-progress/tachiyomi"
    before = trk.json("GET", url, "TachiyomiV1")
    assert before == {
        "booksCount": 4,
        "booksReadCount": 0,
        "booksUnreadCount": 4,
        "booksInProgressCount": 0,
        "lastReadContinuousIndex": 0,
    }
    assert trk.call("PUT", url, body={"lastBookRead": 2}, expect=(204,)).status_code == 204
    after = trk.json("GET", url, "TachiyomiV1")
    assert (after["booksReadCount"], after["booksUnreadCount"]) == (2, 2)
    assert after["lastReadContinuousIndex"] == 2
    first, second, third = entity["bookIds"][:3]
    for book_id, read in ((first, True), (second, True), (third, False)):
        progress = ext.json("GET", f"api/v1/books/{book_id}", "Book")["readProgress"]
        assert (progress is not None and progress["completed"]) is read, book_id
    # A smaller count unmarks nothing.
    assert trk.call("PUT", url, body={"lastBookRead": 1}, expect=(204,)).status_code == 204
    assert trk.json("GET", url, "TachiyomiV1")["booksReadCount"] == 2
    for bad in ({}, {"lastBookRead": "2"}, {"lastBookRead": -1}, {"lastBookRead": 1.5}, [2]):
        refused = trk.call("PUT", url, body=bad, expect=(400,))
        assert set(refused.json()) == SPRING_ERROR_KEYS, bad
    # Someone else's reading is untouched.
    owner_state = world.json(f"/api/v1/readlists/{world.lists['Civil War Event']}/books")
    assert all(book["readProgress"] is None for book in owner_state["content"])


# --- Komelia -----------------------------------------------------------------------------------


def test_komelia_counts_lists_per_library_and_shows_a_books_lists(world: ListWorld) -> None:
    kom = Replay(world.http("owner"), "KC", {"Accept": "application/json"})
    for library in (world.marvel, world.secret):
        counted = kom.json(
            "GET",
            f"api/v1/readlists?library_id={library.id}&size=0&unpaged=false",
            "Page<ReadList>",
        )
        assert counted["totalElements"] == 2
    scoped = kom.json("GET", f"api/v1/readlists?library_id={world.secret.id}", "Page<ReadList>")
    for item in scoped["content"]:
        assert item["bookIds"] == [world.comic_id(SW1)] and item["filtered"] is True
    nowhere = kom.json("GET", "api/v1/readlists?library_id=999&size=0", "Page<ReadList>")
    assert nowhere["totalElements"] == 0

    holding = kom.json("GET", f"api/v1/books/{world.comic_id(CW1)}/readlists", "[ReadList]")
    assert [item["name"] for item in holding] == ["Civil War Event", "Everyone's Wars"]
    other_copy = next(c for c in (ASM_A, ASM_B) if world.comic_id(c) not in _event_ids(world))
    assert (
        kom.json("GET", f"api/v1/books/{world.comic_id(other_copy)}/readlists", "[ReadList]") == []
    )


def test_komelia_steps_through_a_read_list(world: ListWorld) -> None:
    kom = Replay(world.http("owner"), "KC", {"Accept": "application/json"})
    event = world.lists["Civil War Event"]
    ids = _event_ids(world)
    books = kom.json(
        "GET", f"api/v1/readlists/{event}/books?page=1&size=2&unpaged=false", "Page<Book>"
    )
    assert [book["id"] for book in books["content"]] == ids[2:]
    assert (books["totalElements"], books["totalPages"], books["last"]) == (4, 2, True)
    base = f"api/v1/readlists/{event}/books"
    for at, book_id in enumerate(ids):
        for step, way in ((-1, "previous"), (1, "next")):
            if 0 <= at + step < len(ids):
                found = kom.json("GET", f"{base}/{book_id}/{way}", "Book")
                assert found["id"] == ids[at + step]
            else:
                kom.call("GET", f"{base}/{book_id}/{way}", expect=(404,))
    outside = next(c for c in (ASM_A, ASM_B) if world.comic_id(c) not in ids)
    kom.call("GET", f"{base}/{world.comic_id(outside)}/next", expect=(404,))
    kom.call("GET", f"{base}/abc/next", expect=(404,))
    unread = world.json(f"/api/v1/readlists/{event}/books", read_status="READ")
    assert unread["content"] == []


# --- scoping, errors, deletion -----------------------------------------------------------------


def test_a_limited_user_sees_shared_lists_without_hidden_books(world: ListWorld) -> None:
    assert _names(world.json("/api/v1/readlists", "kid")) == ["Everyone's Wars"]
    shared = world.lists["Everyone's Wars"]
    detail = world.json(f"/api/v1/readlists/{shared}", "kid")
    cw = [world.comic_id(CW1), world.comic_id(CW2)]
    assert detail["bookIds"] == cw and detail["filtered"] is True
    books = world.json(f"/api/v1/readlists/{shared}/books", "kid", unpaged="true")
    assert [book["id"] for book in books["content"]] == cw
    assert world.json(f"/api/v1/readlists/{shared}")["filtered"] is False  # the owner sees all
    assert world.get(f"/api/v1/books/{world.comic_id(SW1)}/readlists", "kid").status_code == 404
    state = world.json(f"/api/v1/readlists/{shared}/read-progress/tachiyomi", "kid")
    assert state["booksCount"] == 2


def test_another_users_list_and_bad_ids_are_404(world: ListWorld) -> None:
    mine = world.lists["Civil War Event"]
    for user in ("kid", "reader"):
        for suffix in ("", "/books", "/thumbnail", "/read-progress/tachiyomi"):
            response = world.get(f"/api/v1/readlists/{mine}{suffix}", user)
            assert response.status_code == 404, (user, suffix)
            assert set(response.json()) == SPRING_ERROR_KEYS
        assert world.get(f"/api/v1/readlists/{mine}/books/1/next", user).status_code == 404
    for bad in ("abc", "-1", "1.0", "\uff11", "9" * 30, "99999", str(10**12 + 1)):
        response = world.get(f"/api/v1/readlists/{bad}")
        assert response.status_code == 404, bad
        assert response.json()["error"] == "Not Found"
    assert world.get("/api/v1/books/abc/readlists").status_code == 404


def test_delete_a_read_list(world: ListWorld) -> None:
    parsed = parse_cbl(cbl("Throwaway", [("Civil War", "2", "2006", "2006")]))
    report = world.app.reading_lists.import_list(world.reader, parsed, shared=False)
    list_id = str(report.reading_list.id)
    world.client.cookies.clear()
    shared = world.lists["Everyone's Wars"]
    refused = world.client.delete(
        f"/komga/api/v1/readlists/{shared}", headers={"X-API-Key": world.tokens["kid"]}
    )
    assert refused.status_code == 403 and set(refused.json()) == SPRING_ERROR_KEYS
    other = world.client.delete(
        f"/komga/api/v1/readlists/{list_id}", headers={"X-API-Key": world.tokens["owner"]}
    )
    assert other.status_code == 404
    gone = world.client.delete(
        f"/komga/api/v1/readlists/{list_id}", headers={"X-API-Key": world.tokens["reader"]}
    )
    assert gone.status_code == 204
    assert world.get(f"/api/v1/readlists/{list_id}", "reader").status_code == 404
    assert world.get(f"/api/v1/readlists/{shared}", "kid").status_code == 200


def test_a_list_over_many_series_reads_its_books_library_wide(
    world: ListWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = world.lists["Civil War Event"]
    one_by_one = world.json(f"/api/v1/readlists/{event}/books", unpaged="true")
    monkeypatch.setattr(readlist_views, "FEW_SERIES", 0)
    library_wide = world.json(f"/api/v1/readlists/{event}/books", unpaged="true")
    assert [b["id"] for b in library_wide["content"]] == _event_ids(world)
    assert library_wide == one_by_one
    step = world.json(f"/api/v1/readlists/{event}/books/{_event_ids(world)[0]}/next")
    assert step["id"] == _event_ids(world)[1]
