"""The iOS apps: KMReader (KMR: everpcpc/KMReader @ d195902 ``Core/Network/APIClient.swift``,
``Features/Auth/Services/AuthService.swift``, ``Features/Book/Services/BookService.swift``),
Aidoku (AID: Aidoku/Aidoku @ eb812a5 ``Shared/Sources/Komga/{KomgaHelper,KomgaSource}.swift``,
``Shared/Tracking/Trackers/komga/KomgaApi.swift``) and Paperback 0.8 (PB:
FramboisePi/paperback-extensions ``src/Komga/Komga.ts`` @ 32880e2)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.komga.replay import Replay, basic, query

__all__ = ["aidoku", "kmreader", "paperback"]

Transcript = list[dict[str, Any]]


def kmreader(http: httpx.Client, user: str, token: str, api_key: bool = False) -> Transcript:
    """Check the server unauthenticated, log in asking for a session token with an empty
    ``X-Auth-Token``, then send only that token; progress PATCHes carry both keys."""
    kmr = Replay(http, "KMR")
    settings = kmr.call("GET", "api/v1/client-settings/global/list").json()
    assert isinstance(settings, dict), settings
    auth = {"X-API-Key": token} if api_key else {"Authorization": basic(user, token)}
    login = kmr.call(
        "GET", "api/v2/users/me?remember-me=true", dto="User", headers={**auth, "X-Auth-Token": ""}
    )
    assert login.json()["email"] == user
    session = login.headers.get("X-Auth-Token", "")
    assert session, "users/me with an empty X-Auth-Token must answer one"
    http.cookies.clear()
    kmr.headers["X-Auth-Token"] = session
    kmr.json("GET", "api/v2/users/me", "User")
    kmr.json("GET", "api/v1/libraries", "[Library]")
    series = kmr.json(
        "POST",
        "api/v1/series/list?page=0&size=20&sort=metadata.titleSort,asc",
        "Page<Series>",
        body={"condition": {"allOf": []}},
    )["content"]
    assert series
    sid = series[0]["id"]
    kmr.json("GET", f"api/v1/series/{sid}", "Series")
    body = {"condition": {"allOf": [{"seriesId": {"operator": "is", "value": sid}}]}}
    books = kmr.json(
        "POST",
        "api/v1/books/list?unpaged=true&sort=metadata.numberSort,asc",
        "Page<Book>",
        body=body,
    )["content"]
    book = kmr.json("GET", f"api/v1/books/{books[-1]['id']}", "Book")
    bid, count = book["id"], book["media"]["pagesCount"]
    kmr.json("GET", f"api/v1/books/{bid}/pages", "[PageDto]")
    kmr.call("GET", f"api/v1/books/{bid}/pages/1", image=True)
    progress = f"api/v1/books/{bid}/read-progress"
    kmr.call("PATCH", progress, body={"completed": False, "page": 1}, expect=(204,))
    kmr.call("PATCH", progress, body={"completed": True, "page": count}, expect=(204,))
    state = kmr.json("GET", f"api/v1/books/{bid}", "Book")["readProgress"]
    assert state is not None and state["completed"], state
    kmr.headers.pop("X-Auth-Token")
    kmr.call("GET", "api/v1/libraries", expect=(401,))
    return kmr.transcript


def _is(key: str, value: str) -> dict[str, Any]:
    return {key: {"operator": "is", "value": value}}


NOT_DELETED = {"deleted": {"operator": "isFalse"}}
AID_IMAGE_TYPES = frozenset(("image/jpeg", "image/png", "image/gif", "image/webp"))


def aidoku(http: httpx.Client, user: str, token: str) -> Transcript:
    """Basic on every call, native (untagged) search conditions, ``%2C`` in sorts."""
    aid = Replay(http, "AID", {"Authorization": basic(user, token), "Accept": "application/json"})
    assert aid.json("GET", "api/v2/users/me", "User")["email"] == user
    libraries = aid.json("GET", "api/v1/libraries", "[Library]")
    for referential in (
        "genres",
        "tags",
        "publishers",
        "languages",
        "age-ratings",
        "series/release-dates",
        "sharing-labels",
    ):
        aid.json("GET", f"api/v1/{referential}", "[str]")
    aid.json("GET", "api/v1/books/ondeck?sort=createdDate%2Cdesc", "Page<Book>")
    for sort, extra in (
        ("readProgress.readDate", [_is("readStatus", "IN_PROGRESS")]),
        ("createdDate", []),
        ("readProgress.readDate", [_is("readStatus", "READ")]),
    ):
        aid.json(
            "POST",
            f"api/v1/books/list?page=0&size=20&sort={sort}%2Cdesc",
            "Page<Book>",
            body={"condition": {"allOf": [*extra, NOT_DELETED]}},
        )
    for shelf in ("new", "updated"):
        aid.json(
            "GET",
            f"api/v1/series/{shelf}?page=0&size=20&oneshot=false&deleted=false",
            "Page<Series>",
        )
    in_library = {"anyOf": [_is("libraryId", lib["id"]) for lib in libraries]}
    listing = aid.json(
        "POST",
        "api/v1/series/list?page=0&size=20&sort=metadata.titleSort%2Casc",
        "Page<Series>",
        body={"condition": {"allOf": [NOT_DELETED, in_library]}},
    )
    assert listing["content"]
    series = aid.json("GET", f"api/v1/series/{listing['content'][0]['id']}", "Series")
    sid = series["id"]
    search = {"allOf": [NOT_DELETED, in_library]}
    released = series["booksMetadata"].get("releaseDate")
    if released:  # the year filter: after the last second of the previous year, before the next
        year = int(released[:4])
        search["allOf"].append(
            {
                "allOf": [
                    {
                        "releaseDate": {
                            "operator": "after",
                            "dateTime": f"{year - 1}-12-31T23:59:59Z",
                        }
                    },
                    {
                        "releaseDate": {
                            "operator": "before",
                            "dateTime": f"{year + 1}-01-01T00:00:00Z",
                        }
                    },
                ]
            }
        )
    found = aid.json(
        "POST",
        "api/v1/series/list?page=0&size=20&sort=name%2Casc",
        "Page<Series>",
        body={"condition": search, "fullTextSearch": series["metadata"]["title"]},
    )
    assert sid in [s["id"] for s in found["content"]], "Aidoku's search lost the series"
    chapters = aid.json(
        "POST",
        "api/v1/books/list?unpaged=true&sort=metadata.numberSort%2Cdesc",
        "Page<Book>",
        body={"condition": {"allOf": [_is("seriesId", sid), NOT_DELETED]}},
    )
    chapters = chapters["content"]
    assert chapters and all(c["seriesId"] == sid for c in chapters)
    book = chapters[-1]
    for page in aid.json("GET", f"api/v1/books/{book['id']}/pages", "[PageDto]")[:2]:
        convert = page["mediaType"] not in AID_IMAGE_TYPES
        aid.call(
            "GET",
            f"api/v1/books/{book['id']}/pages/{page['number']}"
            + ("?convert=png" if convert else ""),
            image=True,
            png=convert,
        )
    tachiyomi = f"api/v2/series/{sid}/read-progress/tachiyomi"
    aid.json("GET", tachiyomi, "TachiyomiV2")
    last_read = float(int(book["metadata"]["numberSort"]))
    aid.call("PUT", tachiyomi, body={"lastBookNumberSortRead": last_read}, expect=(200, 204))
    aid.call(
        "PATCH",
        f"api/v1/books/{book['id']}/read-progress",
        body={"page": 1, "completed": False},
        expect=(204,),
    )
    books = aid.json("GET", f"api/v1/series/{sid}/books?unpaged=true", "Page<Book>")["content"]
    mine = next(b for b in books if b["id"] == book["id"])
    assert mine["readProgress"] is not None and mine["readProgress"]["page"] == 1, mine
    return aid.transcript


PB_IMAGE_TYPES = frozenset((*AID_IMAGE_TYPES, "application/pdf"))


def paperback(http: httpx.Client, user: str, token: str) -> Transcript:
    """Preemptive Basic, API base = address + /api/v1, trailing slashes on several paths."""
    pb = Replay(http, "PB", {"authorization": basic(user, token)})
    # KomgaSettings.ts testServerSettings: only the status of libraries/ is read.
    pb.call("GET", "api/v1/libraries/")
    genres = pb.json("GET", "api/v1/genres/", "[str]")
    tags = pb.json("GET", "api/v1/tags/series/", "[str]")
    for shelf in ("new", "updated/"):
        pb.json("GET", f"api/v1/series/{shelf}?page=0&size=20&deleted=false", "Page<Series>")
    pairs: list[tuple[str, object]] = [("page", 0), ("size", 40), ("search", "")]
    pairs += [("tag", t) for t in tags[:2]] + [("genre", g) for g in genres[:2]]
    pb.json("GET", f"api/v1/series?{query(pairs)}", "Page<Series>")
    listing = pb.json("GET", "api/v1/series?page=0&size=40", "Page<Series>")["content"]
    assert listing
    sid = listing[0]["id"]
    pb.json("GET", f"api/v1/series/{sid}/", "Series")
    books = pb.json(
        "GET",
        f"api/v1/series/{sid}/books?unpaged=true&media_status=READY&deleted=false",
        "Page<Book>",
    )["content"]
    assert books
    bid = books[0]["id"]
    for page in pb.json("GET", f"api/v1/books/{bid}/pages", "[PageDto]")[:2]:
        convert = page["mediaType"] not in PB_IMAGE_TYPES
        pb.call(
            "GET",
            f"api/v1/books/{bid}/pages/{page['number']}" + ("?convert=png" if convert else ""),
            image=True,
            png=convert,
        )
    pb.call("GET", f"api/v1/series/{sid}/thumbnail", image=True)
    pb.call(
        "PATCH",
        f"api/v1/books/{bid}/read-progress",
        body={"page": 1, "completed": True},
        expect=(204,),
    )
    return pb.transcript
