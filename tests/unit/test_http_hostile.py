"""Hostile input, endpoint by endpoint: climbing paths, absurd numbers, a 10 MB body, wrong
content types, bytes that are not UTF-8 and broken Range headers. Each answer is a 4xx (or
the harmless 200 the contract names) with a JSON error body that shows no server folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from bagboard.adapters.http.app import MAX_REQUEST_BODY
from tests.browse_support import World, auth
from tests.unit.hostile_support import check_answer, check_raw, raw_request

API = "/api/v1"
SAGA = "Image/Saga/Saga 01.cbz"


def call(world: World, method: str, url: str, **kwargs: Any) -> Any:
    headers = {**auth(world.owner), **kwargs.pop("headers", {})}
    response = world.client.request(method, url, headers=headers, **kwargs)
    check_answer(world, response, method=method)
    return response


def error(world: World, method: str, url: str, status: int, **kwargs: Any) -> str:
    response = call(world, method, url, **kwargs)
    assert response.status_code == status, response.text
    code: str = response.json()["error"]
    return code


# --- path traversal --------------------------------------------------------------------------


def climbing(world: World) -> list[str]:
    """Values that try to leave the libraries: ``..`` plain, percent-encoded (as a literal the
    server must not decode twice), with backslashes, absolute paths outside, NUL bytes."""
    return [
        "..",
        "../..",
        "../../../../etc",
        "Marvel/../../..",
        "..\\..\\windows",
        f"{world.a}/..",
        f"{world.a}/../comics-b",
        f"{world.a}/Marvel/../../../etc",
        "/etc",
        "/",
        "Marvel\x00",
        f"{world.a}/Marvel\x00/../..",
    ]


# Percent-encoded once more than the query layer decodes: must be taken literally, never
# resolved, and so match nothing.
ENCODED = ["%2e%2e", "%2e%2e%2f%2e%2e", "..%2f..", "%252e%252e"]


@pytest.mark.parametrize("param", ["publisher", "series", "volume"])
def test_folder_parameters_refuse_climbing_and_outside_paths(world: World, param: str) -> None:
    for value in climbing(world):
        params = {"mode": "filesystem", "publisher": "Marvel", "series": "X-Men", param: value}
        endpoint = "series" if param == "publisher" else "issues"
        assert error(world, "GET", f"{API}/library/{endpoint}", 400, params=params) == (
            "invalid_path"
        ), value


@pytest.mark.parametrize("param", ["publisher", "series", "volume"])
def test_encoded_climbing_is_a_literal_name_that_matches_nothing(world: World, param: str) -> None:
    for value in ENCODED:
        params = {"mode": "filesystem", "publisher": "Marvel", "series": "X-Men", param: value}
        endpoint = "series" if param == "publisher" else "issues"
        response = call(world, "GET", f"{API}/library/{endpoint}", params=params)
        assert response.status_code in (200, 400), value
        if response.status_code == 200:
            assert response.json()["total"] == 0, value


@pytest.mark.parametrize("param", ["publisher", "series", "volume"])
def test_very_long_folder_parameters_are_answered_quickly_and_find_nothing(
    world: World, param: str
) -> None:
    for value in ["a" * 10_000, "a/" * 3_000, f"{world.a}/" + "x/" * 3_000]:
        params = {"mode": "filesystem", "publisher": "Marvel", "series": "X-Men", param: value}
        endpoint = "series" if param == "publisher" else "issues"
        response = call(world, "GET", f"{API}/library/{endpoint}", params=params)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.json()["total"] == 0


@pytest.mark.parametrize("kind", ["favorites", "to-read"])
def test_shelves_refuse_paths_outside_the_libraries(world: World, kind: str) -> None:
    token = world.new_reader()
    for value in [*climbing(world), "a" * 10_000, f"{world.a}/" + "x/" * 3_000]:
        method = "PUT" if kind == "favorites" else "POST"
        added = call(
            world, method, f"{API}/library/{kind}", json={"path": value}, headers=auth(token)
        )
        assert added.status_code in (400, 404), value
        removed = call(
            world, "DELETE", f"{API}/library/{kind}", params={"path": value}, headers=auth(token)
        )
        assert removed.status_code in (200, 400, 404), value
    listed = world.json(f"{API}/library/{kind}", token)
    assert listed["total"] == 0


def test_progress_paths_are_keys_never_files(world: World) -> None:
    """A position is stored under whatever path the client names (the reference does so), but
    no path ever opens a file, and NUL or overlong ones are refused."""
    token = world.new_reader()
    headers = auth(token)
    for value in ["/etc/passwd", f"{world.a}/../../etc/passwd", "../" * 50]:
        saved = call(
            world, "PUT", f"{API}/progress", json={"path": value, "page_number": 3}, headers=headers
        )
        assert saved.status_code == 200
        assert "root:" not in saved.text
        read = call(world, "GET", f"{API}/progress", params={"path": value}, headers=headers)
        assert read.json()["page_number"] == 3
    for value in ["\x00", f"{world.a}/{SAGA}\x00", "a" * 5_000]:
        body = {"path": value, "page_number": 1}
        assert error(world, "PUT", f"{API}/progress", 400, json=body, headers=headers)
        assert error(
            world, "POST", f"{API}/issues/read", 400, json={"path": value}, headers=headers
        )
        for url in (f"{API}/progress", f"{API}/issues/read"):
            assert error(world, "DELETE", url, 400, params={"path": value}, headers=headers)
        assert error(world, "GET", f"{API}/progress", 400, params={"path": value}, headers=headers)


@pytest.mark.parametrize(
    "tail",
    [
        "{id}/..%2F..%2F..%2Fetc%2Fpasswd",
        "..%2F1",
        "%2e%2e",
        "{id}%00",
        "1%00",
        "9" * 5000,
        "{id}/page/..%2F1",
        "{id}/page/1%00",
        "{id}/page/" + "9" * 5000,
        "{id}/page/-1",
        "%2Fetc%2Fpasswd",
        "{id}/cover%00",
    ],
)
def test_issue_ids_and_page_numbers_never_name_files(world: World, tail: str) -> None:
    comic = world.comic_id(f"{world.a}/{SAGA}")
    response = call(world, "GET", f"{API}/issue/" + tail.format(id=comic))
    assert response.status_code in (400, 404), response.text


# --- huge numbers ----------------------------------------------------------------------------

HUGE = ["9" * 25, str(2**63), str(2**31), "9" * 5000, "-" + "9" * 25, "1e400", "²", "+-5"]
LISTS = [
    "/library/publishers",
    "/library/series",
    "/library/issues?series=Saga",
    "/library/recent",
    "/library/favorites",
    "/library/to-read",
    "/progress/since",
]


@pytest.mark.parametrize("endpoint", LISTS)
def test_huge_page_and_page_size_are_clamped(world: World, endpoint: str) -> None:
    for value in HUGE:
        for name in ("page", "page_size"):
            path, _, series = endpoint.partition("?series=")
            params = {name: value, **({"series": series} if series else {})}
            response = call(world, "GET", f"{API}{path}", params=params)
            assert response.status_code == 200, (name, value, response.text)
            body = response.json()
            assert 1 <= body["page_size"] <= 200
            assert 1 <= body["page"] <= 10_000_000


def test_huge_ts_is_clamped_or_refused(world: World) -> None:
    for value in HUGE:
        response = call(world, "GET", f"{API}/progress/since", params={"ts": value})
        if response.status_code == 200:
            assert response.json()["items"] == []
        else:
            assert response.json()["error"] == "ts must be an integer unix timestamp"


def test_forged_cursors_are_refused(world: World) -> None:
    import base64

    def cursor(raw: str) -> str:
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    for raw in [
        "0.1." + "9" * 30,
        "0.1.9223372036854775808",
        "0.1.2147483648",
        "0.9.1",
        "9" * 400 + ".1.1",
        "-1.1.1",
        "0.1.-1",
        "x.y.z",
        "0.1",
    ]:
        code = error(world, "GET", f"{API}/progress/since", 400, params={"cursor": cursor(raw)})
        assert code == "invalid_input", raw
    assert error(world, "GET", f"{API}/progress/since", 400, params={"cursor": "!" * 5000})


@pytest.mark.parametrize("which", ["cover", "page/1"])
def test_huge_image_sizes_are_clamped_and_non_integers_refused(world: World, which: str) -> None:
    """Any integer is a size, clamped to 64..2000 (as the document says); only text that is
    not an integer is 400."""
    comic = world.comic_id(f"{world.a}/{SAGA}")
    for value in HUGE:
        response = call(world, "GET", f"{API}/issue/{comic}/{which}", params={"size": value})
        integer = re.fullmatch(r"[+-]?[0-9]+", value) is not None
        assert response.status_code == (200 if integer else 400), (value, response.text)
        if integer:
            assert response.headers["content-type"] == "image/jpeg"
    clamped = call(world, "GET", f"{API}/issue/{comic}/{which}", params={"size": "999999999"})
    assert clamped.status_code == 200
    assert clamped.headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/progress", "page_number"),
        ("/progress", "total_pages"),
        ("/progress", "time_spent"),
        ("/progress", "updated_at"),
        ("/issues/read", "page_count"),
        ("/issues/read", "time_spent"),
    ],
)
def test_huge_numbers_in_bodies_are_400_and_store_nothing(
    world: World, url: str, field: str
) -> None:
    token = world.new_reader()
    path = f"{world.a}/{SAGA}"
    method = "PUT" if url == "/progress" else "POST"
    # 2**31 seconds is a time in 2038: fine for ``updated_at``, too many for anything else.
    small = [] if field == "updated_at" else [2**31]
    for value in [*small, 2**63, 10**30, "9" * 25, "9" * 5000, "²", "+-5", 1e300]:
        body: dict[str, Any] = {"path": path, field: value}
        if field != "page_number" and url == "/progress":
            body["page_number"] = 1
        assert error(world, method, f"{API}{url}", 400, json=body, headers=auth(token)), value
    assert world.json(f"{API}/progress/since", token)["total"] == 0
    # The message names the field as the client sent it.
    body = {"path": path, field: 2**63, **({"page_number": 1} if field != "page_number" else {})}
    answer = call(world, method, f"{API}{url}", json=body, headers=auth(token))
    assert answer.json()["message"].startswith(f"{field} "), answer.text


# --- bodies ----------------------------------------------------------------------------------

WRITES = [
    ("PUT", "/progress"),
    ("POST", "/issues/read"),
    ("PUT", "/library/favorites"),
    ("POST", "/library/to-read"),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_a_10_mb_json_body_is_413_before_it_is_read_whole(
    world: World, method: str, url: str
) -> None:
    chunk = b" " * 65_536
    total = 10 * 1024 * 1024

    def body() -> Iterator[bytes]:
        yield b'{"path": "x", "page_number": 1, "pad": "'
        sent = 0
        while sent < total:
            yield chunk
            sent += len(chunk)
        pytest.fail("the whole 10 MB body was read")

    streamed = raw_request(
        world,
        method,
        API + url,
        headers=[(b"content-type", b"application/json")],
        body=body(),
        token=world.owner,
    )
    check_raw(world, streamed)
    assert streamed.status == 413
    assert b"payload_too_large" in streamed.body
    assert streamed.consumed <= MAX_REQUEST_BODY + len(chunk) + 64

    # With a declared length, the limit applies before a single body byte is read.
    declared = raw_request(
        world,
        method,
        API + url,
        headers=[(b"content-type", b"application/json"), (b"content-length", str(total).encode())],
        body=body(),
        token=world.owner,
    )
    check_raw(world, declared)
    assert declared.status == 413
    assert declared.consumed == 0


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_wrong_content_types_are_400_never_5xx(world: World, method: str, url: str) -> None:
    token = world.new_reader()
    for content_type, content in [
        ("application/x-www-form-urlencoded", b"path=x&page_number=1"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=x"),
        ("application/xml", b"<progress path='x'/>"),
        ("application/octet-stream", bytes(range(256))),
        ("image/jpeg", b"\xff\xd8\xff\xe0"),
        ("application/json", b"[1, 2, 3]"),
        ("application/json", b'"just a string"'),
        ("application/json", b""),
    ]:
        headers = {**auth(token), "Content-Type": content_type}
        response = call(world, method, f"{API}{url}", content=content, headers=headers)
        assert response.status_code == 400, (content_type, response.text)


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_invalid_utf8_bodies_are_400(world: World, method: str, url: str) -> None:
    token = world.new_reader()
    for content in [
        b'{"path": "\xff\xfe", "page_number": 1}',
        b"\xff\xfe{\x00}",
        b'{"path": "\xed\xa0\x80", "page_number": 1}',  # an encoded surrogate
        b'{"path": "\\ud800", "page_number": 1}',  # an escaped lone surrogate: valid JSON
    ]:
        headers = {**auth(token), "Content-Type": "application/json"}
        response = call(world, method, f"{API}{url}", content=content, headers=headers)
        assert response.status_code in (400, 404), (content, response.text)


@pytest.mark.parametrize(
    "url",
    [
        "/library/series?mode=metadata&q=",
        "/library/series?mode=metadata&publisher=",
        "/library/issues?mode=metadata&series=",
        "/library/series?mode=filesystem&publisher=",
        "/library/issues?mode=filesystem&publisher=Marvel&series=",
        "/library/publishers?sort=",
        "/library/publishers?mode=",
        "/progress?path=",
        "/progress/since?cursor=",
        "/progress/since?ts=",
        "/library/recent?page=",
    ],
)
def test_invalid_utf8_and_nul_in_query_strings_are_never_5xx(world: World, url: str) -> None:
    path, _, query = url.partition("?")
    for raw in [b"\xff\xfe", b"%ff%fe", b"%c0%ae%c0%ae", b"%ed%a0%80", b"%00", b"a%00b", b"\x00"]:
        answer = raw_request(
            world, "GET", API + path, query=query.encode() + raw, token=world.owner
        )
        check_raw(world, answer)
        assert answer.status in (200, 400), (url, raw, answer.body[:200])


def test_invalid_utf8_in_headers_is_never_5xx(world: World) -> None:
    comic = world.comic_id(f"{world.a}/{SAGA}")
    for name in (b"range", b"if-none-match", b"if-range", b"if-modified-since", b"x-api-key"):
        answer = raw_request(
            world,
            "GET",
            f"{API}/issue/{comic}/download",
            headers=[(name, b"\xff\xfe bytes=0-1")],
            token=world.owner,
        )
        check_raw(world, answer)
        assert answer.status in (200, 206, 304, 400, 416), name
    garbled = raw_request(
        world, "GET", f"{API}/auth/ping", headers=[(b"authorization", b"Bearer \xff\xfe")]
    )
    check_raw(world, garbled)
    assert garbled.status == 401


# --- Range -----------------------------------------------------------------------------------

MALFORMED_RANGES = [
    "bytes",
    "bytes=",
    "bytes=-",
    "bytes=--",
    "bytes=a-b",
    "bytes=5-2",
    "bytes=0-1-2",
    "bytes=" + "9" * 25 + "-",
    "bytes=-" + "9" * 25,
    "bytes=" + "0-0," * 40,
    "pages=0-1",
    "bytes 0-1",
    "=0-1",
    "bytes=0x10-0x20",
    "bytes=\t",
    "bytes=1-2;q=1",
    "bytes=" + "," * 1000,
]


@pytest.mark.parametrize("header", MALFORMED_RANGES)
def test_malformed_ranges_are_ignored(world: World, header: str) -> None:
    comic = world.comic_id(f"{world.a}/{SAGA}")
    url = f"{API}/issue/{comic}/download"
    whole = call(world, "GET", url)
    response = call(world, "GET", url, headers={"Range": header})
    assert response.status_code == 200, response.headers
    assert response.content == whole.content
    assert response.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=1000000-2000000", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(world: World, header: str) -> None:
    comic = world.comic_id(f"{world.a}/{SAGA}")
    response = call(world, "GET", f"{API}/issue/{comic}/download", headers={"Range": header})
    assert response.status_code == 416
    size = world.app.container.library_index().comic(comic)
    assert size is not None
    assert response.headers["content-range"] == f"bytes */{size.size}"


def test_absurd_conditional_headers_send_the_file(world: World) -> None:
    comic = world.comic_id(f"{world.a}/{SAGA}")
    url = f"{API}/issue/{comic}/download"
    for headers in [
        {"If-Modified-Since": "Mon, 01 Jan 99999 00:00:00 GMT"},
        {"If-Modified-Since": "not a date"},
        {"If-Range": "Mon, 01 Jan 0001 00:00:00 GMT", "Range": "bytes=0-1"},
        {"If-Range": "W/" + "x" * 10_000, "Range": "bytes=0-1"},
        {"If-None-Match": "," * 10_000},
    ]:
        assert call(world, "GET", url, headers=headers).status_code == 200, headers


# --- encoded query values are decoded once ---------------------------------------------------


def test_a_query_value_is_decoded_exactly_once(world: World) -> None:
    token = world.new_reader()
    literal = f"{world.a}/{quote('Image/Saga/Saga 01.cbz')}"
    call(
        world,
        "PUT",
        f"{API}/progress",
        json={"path": literal, "page_number": 2},
        headers=auth(token),
    )
    real = call(
        world, "GET", f"{API}/progress", params={"path": f"{world.a}/{SAGA}"}, headers=auth(token)
    )
    assert real.json() is None
    stored = call(world, "GET", f"{API}/progress", params={"path": literal}, headers=auth(token))
    assert stored.json()["page_number"] == 2
