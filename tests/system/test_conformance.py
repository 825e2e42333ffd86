"""``bagboard conformance`` against a real ``bagboard serve``, and against a broken server.

One server (started once for the module) serves a small generated library: two publishers of
flat series, one multi-volume series, ComicInfo in every comic, real JPEG pages. The kit runs
as the command does (``bagboard.cli.main``). Between kit and server sits a small proxy that
records the methods sent and, for the last test, breaks two details of the answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bagboard.cli import main
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.system.conftest import bagboard, first_answer, free_port

Rewrite = Callable[[str, bytes], bytes]
# Headers that describe one hop, or a body the proxy may have changed.
HOP_HEADERS = {"connection", "content-length", "transfer-encoding", "content-encoding", "host"}


def write_library(root: Path) -> int:
    """Comics under ``root``; returns how many."""
    # Unpadded numbers up to 12, so natural order differs from the order of the bytes.
    layout = {
        ("Acme", "Rockets", None): range(1, 6),
        ("Acme", "Anvils", None): (1, 2, 10, 12),
        ("Bolt Press", "Thunder", "v1990"): range(1, 4),
        ("Bolt Press", "Thunder", "v2001"): range(1, 4),
    }
    count = 0
    for (publisher, series, volume), numbers in layout.items():
        folder = root / publisher / series / (volume or "")
        folder.mkdir(parents=True, exist_ok=True)
        for number in numbers:
            info = {"Series": series, "Number": str(number), "Publisher": publisher}
            info["Year"] = volume[1:] if volume else str(2000 + number % 2)
            members = {
                "ComicInfo.xml": comicinfo_xml(info),
                "p1.jpg": jpeg((200, 40, number * 20), (600, 900)),
                "p2.jpg": jpeg((10, 10, 10)),
            }
            write_cbz(folder / f"{series} {number}.cbz", members)
            count += 1
    return count


@dataclass
class Served:
    base: str
    token: str
    comics: Path

    def get(self, path: str, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = httpx.get(self.base + "/api/v1" + path, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def send(self, method: str, path: str, body: dict[str, Any]) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = httpx.request(method, self.base + "/api/v1" + path, json=body, headers=headers)
        assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("conformance")
    comics, data_dir = root / "comics", root / "data"
    total = write_library(comics)
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bagboard.cli", "serve", "--library", str(comics),
         "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        served = Served(f"http://127.0.0.1:{port}", token, comics)
        first_answer(
            served.base + "/api/v1/auth/ping",
            process,
            explain=lambda: process.stderr.read().decode() if process.stderr else "",
        )
        deadline = time.monotonic() + 30
        while served.get("/library/recent")["total"] < total:
            assert time.monotonic() < deadline, "the library was never indexed"
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


class Proxy:
    """Forwards every request to ``target``, records its method, and may rewrite bodies and
    hide response headers."""

    def __init__(
        self, target: str, rewrite: Rewrite | None = None, hide: frozenset[str] = frozenset()
    ) -> None:
        self.methods: list[str] = []
        self._upstream = upstream = httpx.Client(base_url=target)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the kit sends hundreds of requests
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def forward(self) -> None:
                proxy.methods.append(self.command)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                answer = upstream.request(self.command, self.path, headers=headers, content=body)
                data = answer.content
                if rewrite is not None and answer.status_code == 200 and data:
                    data = rewrite(self.path, data)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in HOP_HEADERS | hide:
                        self.send_header(key, value)
                size = answer.headers.get("content-length") if self.command == "HEAD" else None
                self.send_header("Content-Length", size or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            # http.server dispatches on these names.
            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = forward  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Proxy:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()


def conformance(
    capsys: pytest.CaptureFixture[str], base: str, token: str, *flags: str
) -> tuple[int, list[str]]:
    capsys.readouterr()
    status = main(["conformance", "--base-url", base, "--token", token, *flags])
    return status, capsys.readouterr().out.splitlines()


def fails(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL")]


def shelves_and_feed(served: Served) -> list[Any]:
    return [
        served.get("/library/favorites"),
        served.get("/library/to-read"),
        served.get("/progress/since", ts=0)["items"],
    ]


def test_bagboard_conforms_and_a_read_only_run_changes_nothing(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    # Something on every list, so every walk has items to walk.
    # The first issue listed gets a position, so its detail carries one.
    acme, anvil = served.comics / "Acme", served.comics / "Acme" / "Anvils" / "Anvils 1.cbz"
    served.send("PUT", "/library/favorites", {"path": str(acme)})
    thunder = served.comics / "Bolt Press" / "Thunder"
    for folder in (acme / "Anvils", thunder, thunder / "v1990"):
        served.send("POST", "/library/to-read", {"path": str(folder)})
    served.send("POST", "/library/to-read", {"path": str(anvil)})
    served.send("PUT", "/progress", {"path": str(anvil), "page_number": 2, "total_pages": 2})
    before = shelves_and_feed(served)

    with Proxy(served.base) as proxy:
        status, lines = conformance(capsys, proxy.base, served.token, "--strict")

    assert fails(lines) == []
    assert status == 0
    assert lines[-1] == "conformance: OK"
    assert "PASS list.to-read.walk" in lines and "PASS list.progress-since.walk" in lines
    assert "PASS issue.download.range.suffix" in lines
    assert "PASS list.issues-metadata.order-rule" in lines
    assert "PASS list.issues-filesystem.order-rule [extension]" in lines
    # bagboard keeps the reference document where the reference server departs from it.
    for line in (
        "PASS list.issues-filesystem.has-comicinfo-boolean [deviation: has-comicinfo-integer]",
        "PASS issue.detail.has-comicinfo-boolean [deviation: has-comicinfo-integer]",
        "PASS issue.not-an-integer.json-error [deviation: non-integer-id-html]",
        "PASS issue.cover.size-not-an-integer.refused [deviation: cover-size-ignored]",
        "PASS errors.message [extension]",
    ):
        assert line in lines
    assert any(
        line.startswith("reference deviations (")
        and line.endswith(": 6 passed, 0 failed, 0 skipped")
        for line in lines
    )
    assert set(proxy.methods) <= {"GET", "HEAD"}
    assert shelves_and_feed(served) == before


def test_bagboard_conforms_with_writes_and_cleans_up(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = conformance(capsys, served.base, served.token, "--strict", "--allow-writes")

    assert fails(lines) == []
    assert status == 0
    assert "PASS progress.since.contains" in lines and "PASS read.mark" in lines
    assert "PASS cleanup.progress-gone [extension]" in lines
    # What was written for the throwaway path is gone: only tombstones remain in the feed.
    throwaway = [
        item
        for item in served.get("/progress/since", ts=0, page_size=200)["items"]
        if "bagboard-conformance-" in item["comic_path"]
    ]
    assert throwaway and all(item.get("deleted") or item.get("read") is False for item in throwaway)


def break_two_details(path: str, data: bytes) -> bytes:
    """total_pages one too many on series lists; recent items without ``has_progress``."""
    if path.startswith("/api/v1/library/series"):
        body = json.loads(data)
        if body.get("total"):
            body["total_pages"] += 1
        return json.dumps(body).encode()
    if path.startswith("/api/v1/library/recent"):
        body = json.loads(data)
        for item in body["items"]:
            item.pop("has_progress", None)
        return json.dumps(body).encode()
    return data


def test_a_broken_server_fails_with_what_was_observed_and_expected(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    with Proxy(served.base, break_two_details) as proxy:
        status, lines = conformance(capsys, proxy.base, served.token)

    assert status == 1
    assert lines[-1] == "conformance: FAILED"
    found = fails(lines)
    assert (
        "FAIL list.series-filesystem.arithmetic: observed total_pages=2, expected total_pages=1 "
        "(total=2, page=1, page_size=200 sent)"
    ) in found
    assert any(
        line.startswith(
            "FAIL list.recent.items: observed items[0]: recent item: missing key has_progress"
        )
        for line in found
    )
    # Nothing else is blamed.
    assert all(line.startswith(("FAIL list.series-", "FAIL list.recent.")) for line in found)


def reference_like(path: str, data: bytes) -> bytes:
    """bagboard's answers without the keys the contract marks better."""
    if not data.startswith(b"{"):
        return data
    body = json.loads(data)
    route = path.split("?")[0].removeprefix("/api/v1")
    items = body.get("items") if isinstance(body.get("items"), list) else []
    for item in items:
        item.pop("is_read", None)
        item.pop("page_count", None)
        if "path" in item and item["path"] is None:  # a metadata publisher
            del item["path"], item["has_thumbnail"]
    if route == "/progress/since":
        del body["next_cursor"], body["server_time"]
    position = body if route == "/progress" else None
    if route.startswith("/issue/") and "metadata" in body:
        del body["page_count"], body["is_read"], body["format"]
        position = body["progress"]
    if position is not None:  # a single position: the feed's items keep updated_at_unix
        del position["updated_at_unix"], position["client_updated_at"]
    return json.dumps(body).encode()


def test_a_server_with_only_the_references_behaviours_passes_unless_strict(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    with Proxy(served.base, reference_like, hide=frozenset({"etag"})) as proxy:
        lenient, lines = conformance(capsys, proxy.base, served.token)
        strict, strict_lines = conformance(capsys, proxy.base, served.token, "--strict")

    found = fails(lines)
    assert lenient == 0 and lines[-1] == "conformance: OK"
    assert found and all(" [extension]: " in line for line in found)
    names = {line.split(" [extension]")[0].removeprefix("FAIL ") for line in found}
    assert {
        "list.issues-filesystem.item-additions",
        "list.publishers-metadata.item-additions",
        "list.progress-since.envelope-additions",
        "list.recent.etag",
        "issue.detail-additions",
        "issue.detail.etag",
        "issue.cover.etag",
        "issue.download.validators",
    } <= names
    assert strict == 1 and strict_lines[-1] == "conformance: FAILED"
