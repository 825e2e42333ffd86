"""List checks against small fake servers (``httpx.MockTransport``), right and wrong ones.

The fakes page by hand, independently of ``PageRequest``, so the kit's expectations are checked
against a second implementation of the contract's arithmetic.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bagboard.conformance.client import ApiClient, WriteRefused
from bagboard.conformance.discovery import Context, Found
from bagboard.conformance.lists import check_list
from bagboard.conformance.report import Report
from bagboard.conformance.runner import run
from bagboard.conformance.targets import ListTarget
from bagboard.conformance.wire import PUBLISHER_FACET

ITEMS = [
    {"value": f"P{i}", "name": f"P{i}", "count": 10 - i, "has_thumbnail": False, "path": None}
    for i in range(7)
]
TARGET = ListTarget(
    "publishers-metadata",
    "/library/publishers",
    PUBLISHER_FACET,
    {"mode": "metadata"},
    ("mode", "metadata"),
    etag=False,
)


def _number(raw: str | None, default: int) -> int:
    text = (raw or "").strip()
    return int(text) if text.lstrip("+-").isdigit() else default


def fake_list(
    *,
    pages_off: int = 0,
    clamp: bool = True,
    start_off: int = 0,
    items: list[dict[str, Any]] = ITEMS,
) -> Callable[[httpx.Request], httpx.Response]:
    """A publishers list: right by default; ``pages_off`` skews total_pages, ``clamp=False``
    lets page_size exceed 200, ``start_off`` shifts where page 2 begins."""

    def handler(request: httpx.Request) -> httpx.Response:
        query = request.url.params
        page = max(_number(query.get("page"), 1), 1)
        size = _number(query.get("page_size"), 50)
        size = min(max(size, 1), 200) if clamp else max(size, 1)
        start = (page - 1) * size + (start_off if page == 2 else 0)
        total = len(items)
        pages = (total + size - 1) // size if total else 0
        body = {
            "items": items[start : start + size],
            "total": total,
            "page": page,
            "page_size": size,
            "total_pages": pages + (pages_off if pages else 0),
            "has_more": page < pages,
            "mode": "metadata",
        }
        return httpx.Response(200, json=body)

    return handler


def check(handler: Callable[[httpx.Request], httpx.Response]) -> list[str]:
    lines: list[str] = []
    client = ApiClient("http://fake", "token", transport=httpx.MockTransport(handler))
    with client:
        check_list(Context(client, Report(lines.append), Found()), TARGET)
    return lines


def failures(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL")]


def test_a_correct_list_passes_every_check() -> None:
    lines = check(fake_list())
    assert failures(lines) == []
    assert "PASS list.publishers-metadata.walk" in lines
    assert "PASS list.publishers-metadata.walk-order [extension]" in lines
    assert "PASS list.publishers-metadata.page-size-1000" in lines
    assert "FAIL" not in " ".join(lines)


def test_a_wrong_total_pages_fails_with_observed_and_expected() -> None:
    found = failures(check(fake_list(pages_off=1)))
    assert found[0] == (
        "FAIL list.publishers-metadata.arithmetic: observed total_pages=2, "
        "expected total_pages=1 (total=7, page=1, page_size=200 sent)"
    )
    assert any(line.startswith("FAIL list.publishers-metadata.walk:") for line in found)


def test_pages_that_overlap_show_as_an_item_twice_and_one_missing() -> None:
    found = failures(check(fake_list(start_off=-1)))
    walk = [line for line in found if ".walk:" in line]
    assert walk == [
        "FAIL list.publishers-metadata.walk: observed 1 item(s) twice, 1 missing over 3 pages "
        'of size 3, e.g. {"count":8,"has_thumbnail":false,"name":"P2","path":null,"value":"P2"}, '
        "expected every item exactly once"
    ]


def test_an_unclamped_page_size_fails_the_clamping_check() -> None:
    found = failures(check(fake_list(clamp=False)))
    names = [line.split(":")[0] for line in found]
    assert names == ["FAIL list.publishers-metadata.page-size-1000"]
    assert "observed page_size=1000" in found[0] and "expected page_size=200" in found[0]


def test_a_wrong_item_fails_the_items_check() -> None:
    items = [*ITEMS[:3], {**ITEMS[3], "count": "7"}, *ITEMS[4:]]
    found = failures(check(fake_list(items=items)))
    assert found == [
        "FAIL list.publishers-metadata.items: observed items[3]: publisher facet item: "
        "Expected `int`, got `str` - at `$.count`, expected none of these"
    ]


def test_an_empty_list_is_checked_but_not_walked() -> None:
    lines = check(fake_list(items=[]))
    assert failures(lines) == []
    assert "SKIP list.publishers-metadata.walk: the list is empty: nothing to walk" in lines


def test_a_read_only_client_refuses_to_send_a_write() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    client = ApiClient("http://fake", "token", transport=httpx.MockTransport(handler))
    with client, pytest.raises(WriteRefused):
        client.request("PUT", "/progress", json={"path": "/x", "page_number": 1})
    assert sent == []


def test_a_server_answering_nothing_useful_fails_the_run_without_crashing() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="<html>Not Found</html>")

    lines: list[str] = []
    status = run("http://fake", "t", out=lines.append, transport=httpx.MockTransport(handler))
    assert status == 1
    assert lines[-1] == "conformance: FAILED"
    assert "FAIL list.publishers-filesystem.envelope: observed 404" in "\n".join(lines)
    assert any(line.startswith("SKIP issue.detail") for line in lines)


def test_an_unreachable_server_is_one_clear_failure() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    lines: list[str] = []
    assert run(f"http://127.0.0.1:{port}", "t", out=lines.append, timeout=2) == 1
    assert lines[0].startswith("FAIL server.reachable: observed GET http://127.0.0.1:")
    assert lines[-1] == "conformance: FAILED"


def test_a_page_that_fails_mid_walk_is_blamed_on_the_walk() -> None:
    correct = fake_list()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2":
            return httpx.Response(500, text="boom")
        return correct(request)

    lines = check(handler)
    assert "PASS list.publishers-metadata.envelope" in lines
    walk = [line for line in failures(lines) if ".walk:" in line]
    assert walk == [
        "FAIL list.publishers-metadata.walk: observed 500 b'boom' from GET "
        "http://fake/api/v1/library/publishers?mode=metadata&page=2&page_size=3, "
        "expected status 200"
    ]
