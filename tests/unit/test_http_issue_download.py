"""``GET /issue/<id>/download``: the file to the byte, resumable, conditional (contract §5)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
from collections.abc import Iterator

import httpx
import pytest

from bagboard.adapters.http.files import download as file_download
from bagboard.adapters.http.files.ranges import http_date, parse_http_date
from tests.browse_support import BACKENDS
from tests.issue_support import CBR_STORED, IssueWorld, issue_world

BIG = "Acme/Big/Big 01.cbz"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IssueWorld]:
    with issue_world(request.param, tmp_path_factory) as built:
        yield built


@pytest.fixture(autouse=True, params=["streamed", "read whole"])
def body_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test on both ways a body is sent: streamed in chunks, or read with the stat."""
    whole_up_to = 0 if request.param == "streamed" else 64 * 1024 * 1024
    monkeypatch.setattr(file_download, "WHOLE_BYTES", whole_up_to)


def download(world: IssueWorld, relative: str = BIG, **headers: str) -> httpx.Response:
    return world.get(world.url(relative, "/download"), headers=headers)


def test_the_whole_file_with_its_headers(world: IssueWorld) -> None:
    path = world.root_a / BIG
    response = download(world)
    assert response.status_code == 200
    assert response.content == path.read_bytes()
    headers = response.headers
    assert headers["accept-ranges"] == "bytes"
    assert headers["content-length"] == str(path.stat().st_size)
    assert headers["content-type"] == "application/vnd.comicbook+zip"
    assert headers["content-disposition"] == 'attachment; filename="Big 01.cbz"'
    assert headers["etag"].startswith('"')
    modified = parse_http_date(headers["last-modified"])
    assert modified is not None and int(modified.timestamp()) == int(path.stat().st_mtime)


@pytest.mark.parametrize(
    ("relative", "media_type"),
    [
        (CBR_STORED, "application/vnd.comicbook-rar"),
        ("Acme/Seven/Seven 01.cb7", "application/x-cb7"),
        ("Acme/Tape/Tape 01.cbt", "application/x-cbt"),
    ],
)
def test_comic_media_types_by_format(world: IssueWorld, relative: str, media_type: str) -> None:
    response = download(world, relative)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.content == (world.root_a / relative).read_bytes()


def test_a_non_ascii_name_gets_filename_star(world: IssueWorld) -> None:
    header = download(world, "Acme/Ünïcode/Ça va 01.cbz").headers["content-disposition"]
    assert header == (
        "attachment; filename=\"_a va 01.cbz\"; filename*=UTF-8''%C3%87a%20va%2001.cbz"
    )


def test_a_resumed_download_reassembles_to_the_exact_file(world: IssueWorld) -> None:
    data = (world.root_a / BIG).read_bytes()
    cut = 1_234_567
    first = download(world, Range=f"bytes=0-{cut - 1}")
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-{cut - 1}/{len(data)}"
    assert first.headers["content-length"] == str(cut)
    rest = download(world, Range=f"bytes={cut}-", **{"If-Range": first.headers["etag"]})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes {cut}-{len(data) - 1}/{len(data)}"
    assert rest.headers["etag"] == first.headers["etag"]
    assert rest.headers["last-modified"]
    joined = first.content + rest.content
    assert hashlib.sha256(joined).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_suffix_range_is_the_tail(world: IssueWorld) -> None:
    data = (world.root_a / BIG).read_bytes()
    response = download(world, Range="bytes=-1000")
    assert response.status_code == 206
    assert response.content == data[-1000:]


def test_several_ranges_come_as_multipart_byteranges(world: IssueWorld) -> None:
    data = (world.root_a / BIG).read_bytes()
    wanted = [(0, 99), (2_000_000, 2_000_999), (len(data) - 10, len(data) - 1)]
    header = "bytes=" + ",".join(f"{a}-{b}" for a, b in wanted)
    response = download(world, Range=header)
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    assert response.headers["content-length"] == str(len(response.content))
    message = email.message_from_bytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + response.content,
        policy=email.policy.HTTP,
    )
    parts = list(message.iter_parts())
    assert len(parts) == len(wanted)
    for part, (start, end) in zip(parts, wanted, strict=True):
        assert part["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
        assert part["Content-Type"] == "application/vnd.comicbook+zip"
        assert part.get_payload(decode=True) == data[start : end + 1]


def test_an_unsatisfiable_range_is_416(world: IssueWorld) -> None:
    size = (world.root_a / BIG).stat().st_size
    response = download(world, Range=f"bytes={size}-")
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{size}"
    assert response.json()["error"] == "range_not_satisfiable"


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-10", "bytes=10-5", "0-10"])
def test_a_malformed_range_or_unknown_unit_is_ignored(world: IssueWorld, header: str) -> None:
    response = download(world, Range=header)
    assert response.status_code == 200
    assert response.content == (world.root_a / BIG).read_bytes()


def test_conditional_requests_answer_304(world: IssueWorld) -> None:
    first = download(world, "Acme/Plain/Plain 01.cbz")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert download(world, "Acme/Plain/Plain 01.cbz", **{"If-None-Match": etag}).status_code == 304
    not_modified = download(world, "Acme/Plain/Plain 01.cbz", **{"If-Modified-Since": modified})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    older = http_date(parse_http_date(modified).replace(year=2001))  # type: ignore[union-attr]
    assert (
        download(world, "Acme/Plain/Plain 01.cbz", **{"If-Modified-Since": older}).status_code
        == 200
    )
    assert download(world, "Acme/Plain/Plain 01.cbz", **{"If-None-Match": '"x"'}).status_code == 200


def test_head_sends_the_headers_and_no_body(world: IssueWorld) -> None:
    url = world.url(BIG, "/download")
    auth = {"Authorization": f"Bearer {world.owner}"}
    whole = world.client.head(url, headers=auth)
    assert whole.status_code == 200
    assert whole.content == b""
    assert whole.headers["content-length"] == str((world.root_a / BIG).stat().st_size)
    part = world.client.head(url, headers={**auth, "Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.headers["content-length"] == "10"
    assert part.headers["content-range"].startswith("bytes 0-9/")


def test_if_range_with_a_stale_etag_returns_the_whole_new_file(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with issue_world("sqlite", tmp_path_factory) as world:
        path = world.root_a / BIG
        old = download(world, Range="bytes=0-99")
        assert old.status_code == 206
        new_data = os.urandom(2 * 1024 * 1024)
        path.write_bytes(new_data)
        response = download(world, Range="bytes=100-", **{"If-Range": old.headers["etag"]})
        assert response.status_code == 200
        assert response.content == new_data
        assert response.headers["etag"] != old.headers["etag"]
        stale_date = download(
            world, Range="bytes=100-", **{"If-Range": "Sat, 01 Jan 2000 00:00:00 GMT"}
        )
        assert stale_date.status_code == 200
        current = download(world, Range="bytes=100-", **{"If-Range": response.headers["etag"]})
        assert current.status_code == 206
        assert current.content == new_data[100:]


def test_a_file_that_vanished_is_not_found(tmp_path_factory: pytest.TempPathFactory) -> None:
    with issue_world("sqlite", tmp_path_factory) as world:
        url = world.url("Acme/Plain/Plain 01.cbz", "/download")
        (world.root_a / "Acme/Plain/Plain 01.cbz").unlink()
        response = world.get(url)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert str(world.root_a) not in response.text
