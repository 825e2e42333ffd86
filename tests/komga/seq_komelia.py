"""Komelia over komga-client (KC: Snd-R/komga-client @ 597c491 ``user/HttpUserClient.kt``,
``book/HttpBookClient.kt``, ``search/*``; KOM: Snd-R/Komelia @ 0b6bf5b ``LoginViewModel.kt``,
``home/edit/DefaultFilters.kt``, ``http/RememberMePersistingCookieStore.kt``).

After the Basic login Komelia never sends credentials again: its Ktor client has no auth
plugin, and its cookie store drops a ``komga-remember-me``/``KOMGA-SESSION`` cookie whose
``Path`` is not the path of the address the user typed. Every call carries
``Accept: application/json``, page images included."""

from __future__ import annotations

from http.cookiejar import Cookie
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.komga.replay import Replay, basic

__all__ = ["kc_books", "kc_series", "komelia"]

KOMGA_COOKIES = ("komga-remember-me", "KOMGA-SESSION")


def _leaf(kind: str, key: str, operator: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, key: operator}


def kc_series(*conditions: dict[str, Any], search: str | None = None) -> dict[str, Any]:
    """A KomgaSeriesSearch as kotlinx writes it: ``type``-tagged, null fields left out."""
    body: dict[str, Any] = {"condition": {"type": "AllOfSeries", "allOf": list(conditions)}}
    return body | ({"fullTextSearch": search} if search is not None else {})


def kc_books(*conditions: dict[str, Any], search: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"condition": {"type": "AllOfBook", "allOf": list(conditions)}}
    return body | ({"fullTextSearch": search} if search is not None else {})


def _keep_komelia_cookies(http: httpx.Client) -> None:
    """RememberMePersistingCookieStore.addCookie: the two Komga cookie names only with
    ``Path`` equal to the typed address's path; everything else as Ktor stores it."""
    base_path = urlsplit(str(http.base_url)).path.rstrip("/") or "/"
    jar = http.cookies.jar
    kept: list[Cookie] = [
        c for c in jar if c.name not in KOMGA_COOKIES or c.path in (base_path, base_path + "/")
    ]
    assert any(c.name in KOMGA_COOKIES for c in kept), (
        f"no komga-remember-me or KOMGA-SESSION cookie with Path={base_path}: "
        f"{[(c.name, c.path) for c in jar]}"
    )
    jar.clear()
    for cookie in kept:
        jar.set_cookie(cookie)


def komelia(http: httpx.Client, user: str, password: str) -> list[dict[str, Any]]:
    kom = Replay(http, "KC", {"Accept": "application/json"})
    me = kom.json(
        "GET",
        "api/v2/users/me?remember-me=true",
        "User",
        headers={
            "Authorization": basic(user, password),
            "Cache-Control": "no-cache, no-store, max-age=0",
        },
    )
    assert me["email"] == user and "ADMIN" not in me["roles"], me
    _keep_komelia_cookies(http)
    libraries = kom.json("GET", "api/v1/libraries", "[Library]")
    library_id = libraries[0]["id"]

    # Home: the seven default shelves (DefaultFilters.kt), all of which must load.
    kc_status = "ReadStatus", "readStatus"
    for sort, conditions in (
        (
            "readProgress.readDate,desc",
            [_leaf(*kc_status, {"operator": "is", "value": "IN_PROGRESS"})],
        ),
        (
            "metadata.releaseDate,desc",
            [
                _leaf(
                    "ReleaseDate", "releaseDate", {"operator": "isInTheLast", "duration": "PT720H"}
                )
            ],
        ),
        ("createdDate,desc", []),
        ("readProgress.readDate,desc", [_leaf(*kc_status, {"operator": "is", "value": "READ"})]),
    ):
        size = "size=20&" if sort == "createdDate,desc" else ""
        kom.json(
            "POST",
            f"api/v1/books/list?{size}unpaged=false&sort={sort}",
            "Page<Book>",
            body=kc_books(*conditions),
        )
    kom.json("GET", "api/v1/books/ondeck?size=20&unpaged=false", "Page<Book>")
    for shelf in ("new", "updated"):
        kom.json(
            "GET", f"api/v1/series/{shelf}?oneshot=false&size=20&unpaged=false", "Page<Series>"
        )

    # Library screen: counts with size=0, filter values, the series grid.
    scoped = f"library_id={library_id}"
    kom.json("GET", f"api/v1/collections?{scoped}&size=0&unpaged=false", "Page<Collection>")
    kom.json("GET", f"api/v1/readlists?{scoped}&size=0&unpaged=false", "Page<ReadList>")
    for referential in (
        "genres",
        "tags",
        "publishers",
        "languages",
        "age-ratings",
        "series/release-dates",
    ):
        kom.json("GET", f"api/v1/{referential}?{scoped}", "[str]")
    in_library = _leaf("LibraryId", "libraryId", {"operator": "is", "value": library_id})
    grid = kom.json(
        "POST",
        "api/v1/series/list?size=50&page=0&unpaged=false&sort=metadata.titleSort,asc",
        "Page<Series>",
        body=kc_series(in_library),
    )
    assert grid["content"], "the library grid is empty"
    series = grid["content"][0]
    assert all(s["libraryId"] == library_id for s in grid["content"])
    title = series["metadata"]["title"]
    found = kom.json(
        "POST", "api/v1/series/list?unpaged=false", "Page<Series>", body=kc_series(search=title)
    )
    assert series["id"] in [s["id"] for s in found["content"]], "fullTextSearch lost the series"

    # Series screen.
    sid = series["id"]
    kom.json("GET", f"api/v1/series/{sid}", "Series")
    kom.json("GET", f"api/v1/series/{sid}/collections", "[Collection]")
    kom.json("GET", f"api/v1/tags/book?series_id={sid}", "[str]")
    kom.json("GET", f"api/v2/authors?series_id={sid}&unpaged=true", "Page<Author>")
    in_series = _leaf("SeriesId", "seriesId", {"operator": "is", "value": sid})
    books = kom.json(
        "POST",
        "api/v1/books/list?page=0&size=20&unpaged=false&sort=metadata.numberSort,asc",
        "Page<Book>",
        body=kc_books(in_series),
    )["content"]
    assert books and all(b["seriesId"] == sid for b in books)

    # Book and reader.
    book = kom.json("GET", f"api/v1/books/{books[0]['id']}", "Book")
    bid, count = book["id"], book["media"]["pagesCount"]
    kom.json("GET", f"api/v1/books/{bid}/readlists", "[ReadList]")
    pages = kom.json("GET", f"api/v1/books/{bid}/pages", "[PageDto]")
    assert [p["number"] for p in pages] == list(range(1, count + 1))
    for sibling in ("previous", "next"):
        kom.call("GET", f"api/v1/books/{bid}/{sibling}", dto="Book", expect=(200, 404))
    kom.call("GET", f"api/v1/books/{bid}/pages/1", image=True)  # Accept: application/json
    any_type = {"Accept": "*/*"}
    kom.call("GET", f"api/v1/books/{bid}/pages/1/thumbnail", headers=any_type, image=True)
    for thumb in (f"series/{sid}", f"books/{bid}"):
        kom.call(
            "GET", f"api/v1/{thumb}/thumbnail", headers=any_type, image=True, expect=(200, 404)
        )

    # Read-list screen, when the user has one: its books in order and the reader's neighbours.
    lists = kom.json("GET", "api/v1/readlists?page=0&size=20&unpaged=false", "Page<ReadList>")
    if lists["content"]:
        chosen = lists["content"][0]
        rid = chosen["id"]
        kom.json("GET", f"api/v1/readlists/{rid}", "ReadList")
        in_list = kom.json(
            "GET", f"api/v1/readlists/{rid}/books?page=0&size=20&unpaged=false", "Page<Book>"
        )["content"]
        assert [b["id"] for b in in_list] == chosen["bookIds"][:20], "read list out of order"
        if in_list:
            first = in_list[0]["id"]
            kom.call("GET", f"api/v1/readlists/{rid}/books/{first}/previous", expect=(404,))
            neighbour = kom.call(
                "GET", f"api/v1/readlists/{rid}/books/{first}/next", dto="Book", expect=(200, 404)
            )
            if len(in_list) > 1:
                assert neighbour.json()["id"] == in_list[1]["id"]
            kom.call("GET", f"api/v1/readlists/{rid}/thumbnail", headers=any_type, image=True)

    # Progress: a page turn ({"page"} only), mark read, mark unread.
    progress = f"api/v1/books/{bid}/read-progress"
    kom.call("PATCH", progress, body={"page": 1}, expect=(204,))
    state = kom.json("GET", f"api/v1/books/{bid}", "Book")["readProgress"]
    assert state is not None and state["page"] == 1 and state["completed"] == (count == 1), state
    kom.call("PATCH", progress, body={"completed": True}, expect=(204,))
    state = kom.json("GET", f"api/v1/books/{bid}", "Book")["readProgress"]
    assert state is not None and state["completed"] and state["page"] == count, state
    kom.call("DELETE", progress, expect=(204,))
    assert kom.json("GET", f"api/v1/books/{bid}", "Book")["readProgress"] is None
    return kom.transcript
