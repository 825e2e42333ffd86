"""``/komga`` book lists, ondeck, files and the referential lists, over a real scanned
collection (the browse world plus a third library of tagged comics), on every SQL backend."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bagboard.domain.model import Library, User
from bagboard.domain.progress import ProgressChange
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import BOOK_KEYS, PAGE_KEYS, kget, kjson
from tests.unit.komga_tagged import THIS_YEAR, add_tagged_library


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def lib_c(world: World, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return add_tagged_library(world, tmp_path_factory)


def _post(world: World, body: Any, token: str | None = None, **params: Any) -> dict[str, Any]:
    world.client.cookies.clear()
    response = world.client.post(
        "/komga/api/v1/books/list",
        params=params,
        json=body,
        headers={"X-API-Key": token or world.owner},
    )
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def _leaf(key: str, operator: str, value: Any = None, **more: Any) -> dict[str, Any]:
    leaf: dict[str, Any] = {"operator": operator, **more}
    if value is not None:
        leaf["value"] = value
    return {key: leaf}


def _series_id(world: World, name: str, token: str | None = None) -> str:
    page = kjson(world, "/api/v1/series", token, search=name, unpaged="true")
    found = [s["id"] for s in page["content"] if s["name"] == name]
    assert len(found) == 1, page
    return str(found[0])


def _titles(page: dict[str, Any]) -> list[str]:
    return [book["metadata"]["title"] for book in page["content"]]


def _user(world: World, token: str) -> User:
    return world.app.authenticator.authenticate(f"Bearer {token}", None)


def _comic(world: World, root: str, path: str) -> Any:
    comic = world.app.container.library_index().comic_at(str(Path(root) / path))
    assert comic is not None, path
    return comic


def _read(world: World, token: str, root: str, path: str) -> None:
    world.app.progress.set_read_in(_user(world, token), _comic(world, root, path), True)


def _reading(world: World, token: str, root: str, path: str) -> None:
    change = ProgressChange(page_number=1)
    world.app.progress.save_in(_user(world, token), _comic(world, root, path), change)


# --- books/list ------------------------------------------------------------------------------


def test_books_list_has_every_key_and_every_visible_book(world: World, lib_c: Library) -> None:
    page = _post(world, {"condition": {"allOf": []}}, size=20, unpaged="false")
    assert set(page) == PAGE_KEYS and page["size"] == 20 and page["number"] == 0
    assert all(set(book) >= BOOK_KEYS for book in page["content"])
    series = kjson(world, "/api/v1/series", unpaged="true")["content"]
    assert page["totalElements"] == sum(s["booksCount"] for s in series)
    everything = _post(world, {}, unpaged="true")
    assert everything["numberOfElements"] == page["totalElements"]
    ids = [book["id"] for book in everything["content"]]
    assert len(set(ids)) == len(ids)


def test_aidoku_chapter_list_native_dialect(world: World, lib_c: Library) -> None:
    swamp = _series_id(world, "Swamp Thing")
    body = {"condition": {"allOf": [_leaf("seriesId", "is", swamp), _leaf("deleted", "isFalse")]}}
    page = _post(world, body, unpaged="true", sort="metadata.numberSort,desc")
    books = kjson(world, f"/api/v1/series/{swamp}/books", unpaged="true")["content"]
    assert [b["id"] for b in page["content"]] == [b["id"] for b in reversed(books)]
    assert len(books) == 3 and {b["seriesId"] for b in page["content"]} == {swamp}
    # Read across every series (no series named), the same books, numbers and numberSorts.
    every = _post(world, {}, unpaged="true", sort="metadata.numberSort,asc")["content"]
    across = [b for b in every if b["seriesId"] == swamp]
    numbered = [(b["id"], b["number"], b["metadata"]["numberSort"]) for b in across]
    assert numbered == [(b["id"], b["number"], b["metadata"]["numberSort"]) for b in books]


def test_type_tagged_dialect_and_any_of(world: World, lib_c: Library) -> None:
    night, contes = _series_id(world, "Night Tales"), _series_id(world, "Contes")
    tagged = {
        "condition": {
            "type": "anyOf",
            "anyOf": [
                {"type": "seriesId", "seriesId": {"type": "is", "operator": "is", "value": night}},
                {"type": "seriesId", "seriesId": {"type": "is", "operator": "is", "value": contes}},
            ],
        }
    }
    page = _post(world, tagged, unpaged="true", sort="metadata.title,asc")
    assert _titles(page) == ["Contes 01", "Dawn", "Dusk", "Midnight"]
    negated = {"condition": {"allOf": [_leaf("libraryId", "is", str(lib_c.id)),
                                       _leaf("seriesId", "isNot", night)]}}  # fmt: skip
    assert [b["seriesId"] for b in _post(world, negated, unpaged="true")["content"]] == [contes]


def test_leaves_and_full_text_search(world: World, lib_c: Library) -> None:
    in_c = _leaf("libraryId", "is", str(lib_c.id))

    def titles(*leaves: dict[str, Any], search: str | None = None) -> list[str]:
        body: dict[str, Any] = {"condition": {"allOf": [in_c, *leaves]}}
        if search is not None:
            body["fullTextSearch"] = search
        return sorted(_titles(_post(world, body, unpaged="true")))

    assert titles(_leaf("tag", "is", "VAMPIRES")) == ["Dusk", "Midnight"]
    assert titles(_leaf("tag", "isNot", "cats")) == ["Dawn", "Dusk"]
    assert titles(_leaf("title", "contains", "d")) == ["Dawn", "Dusk", "Midnight"]
    assert titles(_leaf("title", "beginsWith", "mid")) == ["Midnight"]
    assert titles(_leaf("mediaStatus", "is", "READY")) == ["Contes 01", "Dawn", "Dusk", "Midnight"]
    assert titles(_leaf("mediaStatus", "is", "ERROR")) == []
    assert titles(_leaf("deleted", "isTrue")) == []
    assert titles(_leaf("author", "is", {"name": "ann writer", "role": "writer"})) == [
        "Dusk",
        "Midnight",
    ]
    assert titles(_leaf("numberSort", "greaterThan", 2)) == titles()  # unknown: everything
    assert titles(search="MIDNI") == ["Midnight"]  # title or file name
    assert titles(search="tales 03") == ["Dawn"]


def test_release_date_leaves(world: World, lib_c: Library) -> None:
    in_c = _leaf("libraryId", "is", str(lib_c.id))
    hours = int((datetime.now(UTC) - datetime(int(THIS_YEAR), 1, 1, tzinfo=UTC)).total_seconds())
    recent = _leaf("releaseDate", "isInTheLast", duration=f"PT{hours // 3600 + 48}H")
    page = _post(world, {"condition": {"allOf": [in_c, recent]}}, unpaged="true")
    assert _titles(page) == ["Midnight"]
    everyone = _post(world, {"condition": recent}, unpaged="true")
    assert _titles(everyone) == ["Midnight"]  # books with no year are never recent
    after = _leaf("releaseDate", "after", dateTime="2019-06-01T00:00:00Z")
    before = _leaf("releaseDate", "before", dateTime="2019-06-01T00:00:00Z")
    assert sorted(_titles(_post(world, {"condition": {"allOf": [in_c, after]}}))) == [
        "Dawn",
        "Midnight",
    ]
    assert sorted(_titles(_post(world, {"condition": {"allOf": [in_c, before]}}))) == [
        "Contes 01",
        "Dusk",
    ]


def test_read_status_leaves_are_per_user(world: World, lib_c: Library) -> None:
    reader = world.new_reader()
    _read(world, reader, lib_c.root, "Grim/Night Tales/Night Tales 01.cbz")
    _reading(world, reader, lib_c.root, "Grim/Night Tales/Night Tales 02.cbz")
    in_c = _leaf("libraryId", "is", str(lib_c.id))

    def titles(token: str, *leaves: dict[str, Any]) -> list[str]:
        body = {"condition": {"allOf": [in_c, *leaves]}}
        return sorted(_titles(_post(world, body, token, unpaged="true")))

    assert titles(reader, _leaf("readStatus", "is", "READ")) == ["Dusk"]
    assert titles(reader, _leaf("readStatus", "is", "IN_PROGRESS")) == ["Midnight"]
    assert titles(reader, _leaf("readStatus", "is", "UNREAD")) == ["Contes 01", "Dawn"]
    assert titles(reader, _leaf("readStatus", "isNot", "UNREAD")) == ["Dusk", "Midnight"]
    assert titles(world.owner, _leaf("readStatus", "is", "READ")) == []
    shelf = _post(world, {"condition": _leaf("readStatus", "is", "IN_PROGRESS")}, reader,
                  sort="readProgress.readDate,desc")  # fmt: skip
    assert _titles(shelf) == ["Midnight"] and shelf["content"][0]["readProgress"]["page"] == 1


def test_sorts_with_direction_and_tie_break(world: World, lib_c: Library) -> None:
    in_c = {"condition": _leaf("libraryId", "is", str(lib_c.id))}
    assert _titles(_post(world, in_c, sort="metadata.title,desc")) == [
        "Midnight", "Dusk", "Dawn", "Contes 01",
    ]  # fmt: skip
    by_name = _post(world, in_c, sort="name,asc")["content"]
    assert [b["name"] for b in by_name] == [
        "Contes 01", "Night Tales 01", "Night Tales 02", "Night Tales 03",
    ]  # fmt: skip
    by_size = _post(world, in_c, sort="fileSize,desc")["content"]
    assert [b["sizeBytes"] for b in by_size] == sorted(
        (b["sizeBytes"] for b in by_size), reverse=True
    )
    released = _titles(_post(world, in_c, sort="metadata.releaseDate,desc"))
    assert released == ["Midnight", "Dawn", "Dusk", "Contes 01"]
    series_then_number = _titles(_post(world, in_c, sort="series"))
    assert series_then_number == ["Contes 01", "Dusk", "Midnight", "Dawn"]
    unknown = _titles(_post(world, in_c, sort="nonsense,desc"))
    assert unknown == _titles(_post(world, in_c, sort="relevance"))
    paged = [_post(world, in_c, sort="createdDate,desc", size=1, page=n) for n in range(4)]
    assert len({p["content"][0]["id"] for p in paged}) == 4 and paged[3]["last"] is True
    shuffled = _post(world, in_c, sort="random", unpaged="true")
    assert sorted(_titles(shuffled)) == ["Contes 01", "Dawn", "Dusk", "Midnight"]


def test_bad_body_is_a_spring_400(world: World) -> None:
    world.client.cookies.clear()
    response = world.client.post(
        "/komga/api/v1/books/list", content=b"[1,", headers={"X-API-Key": world.owner}
    )
    assert response.status_code == 400
    assert {"timestamp", "status", "error", "message", "path"} <= set(response.json())


# --- GET books, ondeck, latest ----------------------------------------------------------------


def test_get_books_filters_or_within_and_across(world: World, lib_c: Library) -> None:
    reader = world.new_reader()
    _read(world, reader, lib_c.root, "Grim/Contes/Contes 01.cbz")
    _reading(world, reader, lib_c.root, "Grim/Night Tales/Night Tales 03.cbz")

    def titles(**params: Any) -> list[str]:
        return sorted(_titles(kjson(world, "/api/v1/books", reader, unpaged="true", **params)))

    c = str(lib_c.id)
    assert titles(library_id=c, tag="cats,Vampires") == ["Contes 01", "Dusk", "Midnight"]
    assert titles(library_id=c, tag="cats", read_status="UNREAD") == ["Midnight"]
    world.client.cookies.clear()
    repeated = world.client.get(
        "/komga/api/v1/books",
        params=[("library_id", c), ("read_status", "READ"), ("read_status", "IN_PROGRESS")],
        headers={"X-API-Key": reader},
    ).json()
    assert sorted(_titles(repeated)) == ["Contes 01", "Dawn"]
    assert titles(library_id=c, released_after="2019-12-31") == ["Dawn", "Midnight"]
    assert titles(library_id=c, search="dusk") == ["Dusk"]
    assert titles(library_id=c, media_status="READY", deleted="false") == [
        "Contes 01", "Dawn", "Dusk", "Midnight",
    ]  # fmt: skip
    assert titles(library_id=c, deleted="true") == []
    a_and_c = titles(library_id=f"{world.lib_a.id},{c}")
    assert len(a_and_c) > 4 and "Dusk" in a_and_c
    page = kjson(world, "/api/v1/books", reader, size=2, page=1)
    assert page["number"] == 1 and page["numberOfElements"] == 2 and page["first"] is False


def test_ondeck_first_unread_of_series_read_in_and_not_in_progress(
    world: World, lib_c: Library
) -> None:
    reader = world.new_reader()
    swamp = "DC Comics/Swamp Thing"
    _read(world, reader, world.a, f"{swamp}/v1972/Swamp Thing 001 (1972).cbz")
    # A series with a book in progress is not on deck, nor one read to the end.
    _read(world, reader, lib_c.root, "Grim/Night Tales/Night Tales 01.cbz")
    _reading(world, reader, lib_c.root, "Grim/Night Tales/Night Tales 03.cbz")
    _read(world, reader, lib_c.root, "Grim/Contes/Contes 01.cbz")
    deck = kjson(world, "/api/v1/books/ondeck", reader, size=20, unpaged="false")
    assert [b["name"] for b in deck["content"]] == ["Swamp Thing 001 (1985)"]
    assert deck["content"][0]["readProgress"] is None and set(deck) == PAGE_KEYS
    only_c = kjson(world, "/api/v1/books/ondeck", reader, library_id=str(lib_c.id))
    assert only_c["content"] == [] and only_c["totalElements"] == 0
    assert kjson(world, "/api/v1/books/ondeck", world.new_reader())["content"] == []


def test_latest_is_by_last_modified_and_scoped(world: World, lib_c: Library) -> None:
    latest = kjson(world, "/api/v1/books/latest", world.kid, size=3)
    # The CBR is the newest comic of library A, the only one the kid sees.
    assert latest["content"][0]["url"] == "X-Men 001.cbr"
    assert {b["libraryId"] for b in latest["content"]} == {str(world.lib_a.id)}
    stamps = [
        b["lastModified"] for b in kjson(world, "/api/v1/books/latest", unpaged="true")["content"]
    ]
    assert stamps == sorted(stamps, reverse=True)


def test_lists_are_scoped(world: World, lib_c: Library) -> None:
    night = _series_id(world, "Night Tales")
    kid_all = _post(world, {}, world.kid, unpaged="true")["content"]
    assert {b["libraryId"] for b in kid_all} == {str(world.lib_a.id)}
    pinned = {"condition": _leaf("seriesId", "is", night)}
    assert _post(world, pinned, world.kid)["totalElements"] == 0
    hidden = kjson(world, "/api/v1/books", world.kid, library_id=str(lib_c.id))
    assert hidden["totalElements"] == 0
    book = _post(world, pinned)["content"][0]["id"]
    assert kget(world, f"/api/v1/books/{book}/file", world.kid).status_code == 404
    assert kget(world, f"/api/v1/books/{book}/pages/1/thumbnail", world.kid).status_code == 404
    assert kjson(world, "/api/v1/genres", world.kid) == []
    names = {a["name"] for a in kjson(world, "/api/v1/authors", world.kid)}
    assert "Ann Writer" not in names and "Ann Writer" in {
        a["name"] for a in kjson(world, "/api/v1/authors")
    }


# --- file and page thumbnails ----------------------------------------------------------------


def test_file_whole_and_range(world: World, lib_c: Library) -> None:
    path = Path(lib_c.root) / "Grim/Contes/Contes 01.cbz"
    book = str(_comic(world, lib_c.root, "Grim/Contes/Contes 01.cbz").id)
    whole = kget(world, f"/api/v1/books/{book}/file")
    assert whole.status_code == 200 and whole.content == path.read_bytes()
    world.client.cookies.clear()
    part = world.client.get(
        f"/komga/api/v1/books/{book}/file",
        headers={"X-API-Key": world.owner, "Range": "bytes=0-9", "Accept": "application/json"},
    )
    assert part.status_code == 206 and part.content == path.read_bytes()[:10]


def test_page_thumbnail_is_small(world: World, lib_c: Library) -> None:
    book = str(_comic(world, lib_c.root, "Grim/Night Tales/Night Tales 01.cbz").id)
    world.client.cookies.clear()
    response = world.client.get(
        f"/komga/api/v1/books/{book}/pages/1/thumbnail",
        headers={"X-API-Key": world.owner, "Accept": "application/json"},
    )
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "JPEG" and max(image.size) <= 300
    assert kget(world, f"/api/v1/books/{book}/pages/9/thumbnail").status_code == 404


# --- collections, read lists -------------------------------------------------------------------


def test_collections_are_empty_pages_and_read_lists_hold_the_story_arc(world: World) -> None:
    counted = kjson(
        world, "/api/v1/collections", library_id=str(world.lib_a.id), size=0, unpaged="false"
    )
    assert set(counted) == PAGE_KEYS and counted["totalElements"] == 0
    assert counted["content"] == [] and counted["empty"] is True
    assert kjson(world, "/api/v1/collections", unpaged="true")["totalPages"] == 0
    # The collection's one story arc (Batman 001's ComicInfo) is a read list of library A.
    lists = kjson(world, "/api/v1/readlists", library_id=str(world.lib_a.id), size=0)
    assert set(lists) == PAGE_KEYS and lists["totalElements"] == 1
    (arc,) = kjson(world, "/api/v1/readlists", unpaged="true")["content"]
    assert arc["name"] == "Court of Owls" and len(arc["bookIds"]) == 1
    missing = kget(world, "/api/v1/readlists/5")
    assert missing.status_code == 404 and missing.json()["error"] == "Not Found"
