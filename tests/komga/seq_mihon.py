"""Mihon: the Komga extension (EXT, keiyoushi/extensions-source ``src/all/komga/.../Komga.kt``,
``KomgaFilters.kt`` @ fd4236e) and Mihon's Komga tracker (TRK, mihonapp/mihon
``app/src/main/java/eu/kanade/tachiyomi/data/track/komga/KomgaApi.kt`` @ a2c24ff)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.komga.replay import Replay, basic, query

__all__ = ["extension", "extension_api_key", "tracker"]

# Komga.kt SUPPORTED_IMAGE_TYPES: anything else is asked for with ?convert=png.
EXT_IMAGE_TYPES = frozenset(
    "image/jpeg image/png image/gif image/webp image/jxl image/heif image/avif".split()  # noqa: SIM905
)
EXT_HEADERS = {"User-Agent": "TachiyomiKomga/0.18.0"}
TRK_HEADERS = {"User-Agent": "Mihon v0.18.0 (app.mihon)"}


class _Extension(Replay):
    """OkHttp with the extension's authenticator: no credentials first, one Basic retry on 401."""

    credentials: str = ""
    retries: int = 0

    def get(self, path: str, dto: str | None = None, **kwargs: Any) -> httpx.Response:
        first = self.call("GET", path, expect=(200, 401), dto=dto, **kwargs)
        if first.status_code != 401:
            return first
        assert first.headers.get("www-authenticate", "").lower().startswith("basic"), path
        self.retries += 1
        headers = {**kwargs.pop("headers", {}), "Authorization": self.credentials}
        return self.call("GET", path, dto=dto, headers=headers, **kwargs)


def _browse(
    ext: _Extension, kind: str, pairs: list[tuple[str, object]], dto: str, search: str = ""
) -> Any:
    """searchMangaRequest: search (maybe empty), 0-based page, deleted=false, then the filters."""
    base: list[tuple[str, object]] = [("search", search), ("page", 0), ("deleted", "false")]
    return ext.get(f"api/v1/{kind}?{query(base + pairs)}", dto).json()


def extension(
    http: httpx.Client, user: str, password: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Basic mode: filter options, popular/latest/filtered browse of series, books and read
    lists, details, chapters, pages, images, covers. Returns the transcript and the ids found."""
    ext = _Extension(http, "EXT", dict(EXT_HEADERS))
    ext.credentials = basic(user, password)
    libraries = ext.get("api/v1/libraries", "[Library]").json()
    assert ext.retries == 1, "the first request without credentials must get a 401"
    assert http.cookies, "a successful Basic check must set a session cookie (TRK relies on it)"
    assert libraries, "the user sees no library"
    ext.get("api/v1/collections?unpaged=true", "Page<Collection>")
    for referential in ("genres", "tags", "publishers"):
        ext.get(f"api/v1/{referential}", "[str]")
    ext.get("api/v1/authors", "[Author]")

    popular = _browse(ext, "series", [("sort", "metadata.titleSort,asc")], "Page<Series>")
    _browse(ext, "series", [("sort", "lastModifiedDate,desc")], "Page<Series>")
    assert popular["content"], "popular is empty"
    series = popular["content"][0]
    filtered = _browse(
        ext,
        "series",
        [
            ("library_id", ",".join(lib["id"] for lib in libraries)),
            ("read_status", "UNREAD"),
            ("read_status", "IN_PROGRESS"),
            ("read_status", "READ"),
            ("status", "ONGOING,ENDED,ABANDONED,HIATUS"),
            ("sort", "relevance,asc"),
        ],
        "Page<Series>",
        search=series["metadata"]["title"][:3],
    )
    assert series["id"] in [s["id"] for s in filtered["content"]], "filters lost the series"
    for sort in ("createdDate,desc", "random,asc"):
        _browse(ext, "series", [("sort", sort)], "Page<Series>")
    _browse(ext, "books", [("sort", "name,asc")], "Page<Book>")
    readlists = _browse(ext, "readlists", [("sort", "name,asc")], "Page<ReadList>")

    found: dict[str, Any] = {"series_id": series["id"]}
    if readlists["content"]:
        found["readlist_id"] = list_id = readlists["content"][0]["id"]
        detail = ext.get(f"api/v1/readlists/{list_id}", "ReadList").json()
        listed = ext.get(
            f"api/v1/readlists/{list_id}/books?unpaged=true&media_status=READY&deleted=false",
            "Page<Book>",
        ).json()["content"]
        # Chapter numbers are positions in the list: the books must come in list order.
        assert [book["id"] for book in listed] == detail["bookIds"], "read list out of order"
        if listed:
            ext.get(f"api/v1/readlists/{list_id}/thumbnail", image=True)
    ext.get(f"api/v1/series/{series['id']}", "Series")
    chapters = ext.get(
        f"api/v1/series/{series['id']}/books?unpaged=true&media_status=READY&deleted=false",
        "Page<Book>",
    ).json()["content"]
    assert chapters, "the series has no READY book"
    sorts = [book["metadata"]["numberSort"] for book in chapters]
    assert len(set(sorts)) == len(sorts), f"numberSort not unique in a series: {sorts}"
    book = chapters[0]
    ext.get(f"api/v1/books/{book['id']}?unpaged=true&media_status=READY&deleted=false", "Book")
    pages = ext.get(f"api/v1/books/{book['id']}/pages", "[PageDto]").json()
    assert len(pages) == book["media"]["pagesCount"]
    for page in (pages[0], pages[-1]):
        convert = page["mediaType"] not in EXT_IMAGE_TYPES
        suffix = "?convert=png" if convert else ""
        ext.get(
            f"api/v1/books/{book['id']}/pages/{page['number']}{suffix}",
            headers={"Accept": "image/*,*/*;q=0.8"},
            image=True,
            png=convert,
        )
    ext.get(f"api/v1/series/{series['id']}/thumbnail", image=True)
    ext.get(f"api/v1/books/{book['id']}/thumbnail", image=True)
    found["book_number_sort"] = book["metadata"]["numberSort"]
    return ext.transcript, found


def extension_api_key(http: httpx.Client, token: str) -> list[dict[str, Any]]:
    """API-key mode: ``X-API-Key`` on every request, no retry; a wrong key is a final 401."""
    ext = Replay(http, "EXT", {**EXT_HEADERS, "X-API-Key": token})
    ext.json("GET", "api/v1/libraries", "[Library]")
    pairs = [("search", ""), ("page", 0), ("deleted", "false"), ("sort", "metadata.titleSort,asc")]
    page = ext.json("GET", f"api/v1/series?{query(pairs)}", "Page<Series>")
    assert page["content"]
    http.cookies.clear()
    ext.call("GET", "api/v1/libraries", headers={"X-API-Key": token + "x"}, expect=(401,))
    return ext.transcript


def tracker(
    http: httpx.Client, series_id: str, number_sort: float, readlist_id: str | None = None
) -> list[dict[str, Any]]:
    """The tracker after the extension signed in: no credentials, the shared cookies only.
    ``number_sort`` is the first book's: the PUT marks it (and nothing before it) read."""
    trk = Replay(http, "TRK", dict(TRK_HEADERS))
    trk.json("GET", f"api/v1/series/{series_id}", "Series")
    v2 = f"api/v2/series/{series_id}/read-progress/tachiyomi"
    before = trk.json("GET", v2, "TachiyomiV2")
    assert before["maxNumberSort"] >= number_sort, before
    trk.call("PUT", v2, body={"lastBookNumberSortRead": float(number_sort)}, expect=(200, 204))
    after = trk.json("GET", v2, "TachiyomiV2")
    assert after["booksReadCount"] >= 1, after
    assert after["lastReadContinuousNumberSort"] >= number_sort, after
    assert (
        after["booksUnreadCount"] + after["booksReadCount"] + after["booksInProgressCount"]
        == (after["booksCount"])
    ), after
    if readlist_id is not None:
        trk.json("GET", f"api/v1/readlists/{readlist_id}", "ReadList")
        v1 = f"api/v1/readlists/{readlist_id}/read-progress/tachiyomi"
        trk.json("GET", v1, "TachiyomiV1")
        trk.call("PUT", v1, body={"lastBookRead": 1}, expect=(200, 204))
        assert trk.json("GET", v1, "TachiyomiV1")["lastReadContinuousIndex"] >= 1
    return trk.transcript
