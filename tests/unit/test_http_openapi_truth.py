"""The OpenAPI document says what the server does at the operation level: which parameters it
cannot go without, every status and media type it answers, and the full ``Allow`` of a path.

Each documented promise here is checked against a real answer of the real app on a scanned
library, so a document that drifts from the server fails (the schemathesis run in
tests/integration/test_api_schemathesis.py fuzzes the rest).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bagboard.adapters.http.api.issue_json import COMIC_MEDIA_TYPES
from bagboard.adapters.http.docs.openapi import DESCRIPTION
from tests.browse_support import World, auth, browse_world
from tests.readlist_api_support import reading_calls

OPENAPI = "/api/v1/openapi.json"
API = "/api/v1"
BATMAN = "DC Comics/Batman/Batman 001.cbz"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with browse_world("sqlite", tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def document(world: World) -> dict[str, Any]:
    body: dict[str, Any] = world.client.get(OPENAPI).json()
    return body


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][API + path][method.lower()]
    return found


def parameter(document: dict[str, Any], method: str, path: str, name: str) -> dict[str, Any]:
    return next(p for p in operation(document, method, path)["parameters"] if p["name"] == name)


def statuses(document: dict[str, Any], method: str, path: str) -> set[str]:
    return set(operation(document, method, path)["responses"])


# --- parameters ---------------------------------------------------------------------------------

REQUIRED_PATH = [
    ("GET", "/progress"),
    ("HEAD", "/progress"),
    ("DELETE", "/progress"),
    ("DELETE", "/issues/read"),
    ("DELETE", "/library/favorites"),
    ("DELETE", "/library/to-read"),
]


@pytest.mark.parametrize(("method", "path"), REQUIRED_PATH)
def test_path_is_required_where_the_server_refuses_to_go_without(
    world: World, document: dict[str, Any], method: str, path: str
) -> None:
    documented = parameter(document, method, path, "path")
    assert documented["required"] is True
    assert documented["schema"]["minLength"] == 1
    assert "400" in statuses(document, method, path)
    for params in ({}, {"path": ""}):
        response = world.client.request(
            method, API + path, params=params, headers=auth(world.owner)
        )
        assert response.status_code == 400
        if method != "HEAD":
            # The reference's own sentence, not Litestar's validation error.
            assert response.json()["error"] == "Missing 'path' parameter"


def test_series_is_required_and_the_mode_dependent_publisher_is_described(
    world: World, document: dict[str, Any]
) -> None:
    series = parameter(document, "GET", "/library/issues", "series")
    assert series["required"] is True
    for path in ("/library/series", "/library/issues"):
        publisher = parameter(document, "GET", path, "publisher")
        assert publisher["required"] is False
        assert "filesystem mode" in publisher["description"].lower()
        assert "400" in statuses(document, "GET", path)
        assert "filesystem" in operation(document, "GET", path)["responses"]["400"]["description"]
    # What the descriptions say, the server does.
    answers = {
        "/library/series?mode=filesystem": "Missing 'publisher' parameter",
        "/library/issues?mode=filesystem&series=B": "Missing 'publisher' or 'series' parameter",
        "/library/issues?mode=metadata": "Missing 'series' parameter",
        "/library/issues?mode=metadata&series=%20": "Missing 'series' parameter",
    }
    for url, error in answers.items():
        response = world.client.get(API + url, headers=auth(world.owner))
        assert (response.status_code, response.json()["error"]) == (400, error), url
    assert world.get(API + "/library/series?mode=metadata").status_code == 200


def test_clamped_values_carry_no_bound_and_are_never_refused(
    world: World, document: dict[str, Any]
) -> None:
    for name in ("page", "page_size"):
        schema = parameter(document, "GET", "/library/recent", name)["schema"]
        assert "minimum" not in schema and "maximum" not in schema
    size = parameter(document, "GET", "/issue/{issue_id}/cover", "size")["schema"]
    assert "minimum" not in size and "maximum" not in size
    assert "clamped to 64..2000" in size["description"]
    for page, page_size in (("0", "0"), ("-5", "100000"), ("abc", "9" * 40)):
        listing = world.json(API + "/library/recent", page=page, page_size=page_size)
        assert 1 <= listing["page_size"] <= 200
    comic = world.comic_id(f"{world.a}/{BATMAN}")
    for value in ("9999999999", "9" * 100, "-9999999999"):
        assert world.get(f"{API}/issue/{comic}/cover", size=value).status_code == 200
    refused = world.get(f"{API}/issue/{comic}/cover", size="big")
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_input")


def test_request_bodies_carry_the_bounds_the_server_enforces(
    world: World, document: dict[str, Any]
) -> None:
    schemas = document["components"]["schemas"]
    progress = schemas["ProgressWrite"]["properties"]
    assert progress["path"]["minLength"] == 1
    assert progress["page_number"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    shelf = schemas["ShelfWrite"]["properties"]
    assert shelf["path"]["minLength"] == 1
    assert {"file", "folder"} <= set(shelf["type"]["anyOf"][0]["enum"])
    path = f"{world.a}/{BATMAN}"
    too_big = {"path": path, "page_number": 2**31}
    assert (
        world.client.put(API + "/progress", json=too_big, headers=auth(world.owner)).status_code
        == 400
    )
    at_most = {"path": path, "page_number": 2**31 - 1}
    token = world.new_reader()
    assert world.client.put(API + "/progress", json=at_most, headers=auth(token)).status_code == 200
    empty = {"path": ""}
    for method, url in (("PUT", "/library/favorites"), ("POST", "/library/to-read")):
        response = world.client.request(method, API + url, json=empty, headers=auth(token))
        assert response.status_code == 400
    wrong_type = {"path": f"{world.a}/Marvel", "type": "shelf"}
    response = world.client.post(API + "/library/to-read", json=wrong_type, headers=auth(token))
    assert response.status_code == 400


# --- statuses -----------------------------------------------------------------------------------

WRITES = [
    ("PUT", "/progress", {"json": {"path": "/x"}}),
    ("POST", "/issues/read", {"json": {}}),
    ("PUT", "/library/favorites", {"json": {"path": "/nowhere"}}),
    ("POST", "/library/to-read", {"json": {"path": "/nowhere"}}),
    ("DELETE", "/library/favorites", {"params": {"path": "/nowhere"}}),
    ("DELETE", "/library/to-read", {"params": {"path": "/nowhere"}}),
]


@pytest.mark.parametrize(("method", "path", "request_kwargs"), WRITES)
def test_write_errors_are_documented(
    world: World,
    document: dict[str, Any],
    method: str,
    path: str,
    request_kwargs: dict[str, Any],
) -> None:
    token = world.new_reader()
    response = world.client.request(method, API + path, headers=auth(token), **request_kwargs)
    assert response.status_code in (400, 404)
    assert str(response.status_code) in statuses(document, method, path)
    assert "400" in statuses(document, method, path)
    if "library" in path:
        assert "404" in statuses(document, method, path)


def test_every_if_none_match_operation_documents_304_and_answers_it(
    world: World, document: dict[str, Any]
) -> None:
    comic = world.comic_id(f"{world.a}/{BATMAN}")
    urls = {
        "/library/publishers": "/library/publishers",
        "/library/series": "/library/series",
        "/library/issues": "/library/issues?series=Batman",
        "/library/recent": "/library/recent",
        "/library/favorites": "/library/favorites",
        "/library/to-read": "/library/to-read",
        "/problems": "/problems",
        "/issue/{issue_id}": f"/issue/{comic}",
        "/issue/{issue_id}/pages": f"/issue/{comic}/pages",
        "/issue/{issue_id}/cover": f"/issue/{comic}/cover",
        "/issue/{issue_id}/page/{number}": f"/issue/{comic}/page/1",
        "/issue/{issue_id}/download": f"/issue/{comic}/download",
    }
    reading = reading_calls(world, world.owner)
    urls |= {
        path.removeprefix(API): call["url"].removeprefix(API)
        for _, path, call in reading.reads(comic)
    }
    with_header = {
        path
        for path, item in document["paths"].items()
        if any(p["name"] == "If-None-Match" for p in item.get("get", {}).get("parameters", []))
    }
    uncalled = {path for _, path in reading.uncalled()}
    assert with_header - uncalled == {API + path for path in urls}
    for path, url in urls.items():
        assert "304" in statuses(document, "GET", path), path
        first = world.client.get(API + url, headers=auth(world.owner))
        assert first.status_code == 200, url
        again = world.client.get(
            API + url, headers={**auth(world.owner), "If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 304, url


def test_downloads_document_ranges_and_every_media_type_they_send(
    world: World, document: dict[str, Any]
) -> None:
    download = operation(document, "GET", "/issue/{issue_id}/download")
    headers = {p["name"] for p in download["parameters"] if p["in"] == "header"}
    assert {"Range", "If-Range", "If-None-Match", "If-Modified-Since"} <= headers
    responses = download["responses"]
    assert {"200", "206", "304", "404", "416"} <= set(responses)
    assert set(COMIC_MEDIA_TYPES.values()) <= set(responses["200"]["content"])
    assert "multipart/byteranges" in responses["206"]["content"]
    assert "Content-Range" in responses["206"]["headers"]
    assert "Content-Range" in responses["416"]["headers"]
    cbz = world.comic_id(f"{world.a}/{BATMAN}")
    cbr = world.comic_id(f"{world.a}/Marvel/X-Men/X-Men 001.cbr")
    for comic, media_type in (
        (cbz, "application/vnd.comicbook+zip"),
        (cbr, "application/vnd.comicbook-rar"),
    ):
        whole = world.get(f"{API}/issue/{comic}/download")
        assert whole.headers["content-type"] == media_type
        part = world.client.get(
            f"{API}/issue/{comic}/download", headers={**auth(world.owner), "Range": "bytes=0-9"}
        )
        assert (part.status_code, part.headers["content-range"][:10]) == (206, "bytes 0-9/")
        beyond = world.client.get(
            f"{API}/issue/{comic}/download",
            headers={**auth(world.owner), "Range": "bytes=99999999-"},
        )
        assert beyond.status_code == 416
        assert beyond.headers["content-range"] == f"bytes */{len(whole.content)}"
    # Pages are served as stored: each documented type is one a page may have.
    page = operation(document, "GET", "/issue/{issue_id}/page/{number}")
    assert {"image/jpeg", "image/png", "image/webp"} <= set(page["responses"]["200"]["content"])


def test_both_error_shapes_are_documented() -> None:
    assert '"error": "not_found"' in DESCRIPTION
    assert "Missing 'path' parameter" in DESCRIPTION
    assert "exact sentence" in DESCRIPTION


def test_error_body_schema_describes_both_shapes(document: dict[str, Any]) -> None:
    text = document["components"]["schemas"]["ErrorBody"]["description"]
    assert "snake_case code" in text and "Missing 'series' parameter" in text


# --- Allow ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/progress", {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
        ("/issues/read", {"POST", "DELETE", "OPTIONS"}),
        ("/library/favorites", {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
        ("/library/to-read", {"GET", "HEAD", "POST", "DELETE", "OPTIONS"}),
        ("/auth/ping", {"GET", "HEAD", "OPTIONS"}),
        ("/issue/7/cover", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_options_and_405_list_every_method_of_the_path(
    world: World, document: dict[str, Any], path: str, methods: set[str]
) -> None:
    options = world.client.options(API + path, headers=auth(world.owner))
    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) == methods
    wrong = world.client.patch(API + path, headers=auth(world.owner))
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) == methods
    # The methods the document lists for the path are the ones Allow names.
    template = path.replace("/7/", "/{issue_id}/")
    documented = {method.upper() for method in document["paths"][API + template]}
    assert documented | {"OPTIONS"} == methods
