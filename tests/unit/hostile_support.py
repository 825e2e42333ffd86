"""What every answer to hostile input must look like, and a raw ASGI client for what httpx
cannot send: bytes that are not UTF-8 in a query string or header, and a body that fails
the test if it is read further than the server's limit allows."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
import httpx

from tests.browse_support import World

# What a traceback, an exception's repr or a source location looks like in a body.
INTERNALS = ("Traceback", 'File "', ".py", "Error(", "sqlalchemy", "psycopg", "sqlite3")


def server_paths(world: World) -> list[str]:
    """Folders no error body may name: the libraries, the folder holding them, the data folder."""
    base = str(Path(world.a).parent)
    return [world.a, world.b, base, str(Path(world.app.config.data_dir).resolve())]


def check_answer(
    world: World, response: httpx.Response, *, method: str = "GET", public: bool = False
) -> None:
    """No 5xx; an error is a JSON object with ``error`` and ``message``; no body shows a
    traceback, and no error body (nor any body of a public route) names a server folder."""
    status = response.status_code
    text = response.content.decode("utf-8", "replace")
    assert status < 500, f"{status}: {text[:300]}"
    if method == "HEAD" or status == 304:
        assert response.content == b""
    # What the client sent may come back (Komga's errors echo the path): only more than that
    # is a leak, so a fuzzed URL naming a test folder ("browse-sqlite3") is not one.
    sent = _sent(response)
    for leak in INTERNALS:
        if status >= 400 or public:
            assert text.count(leak) <= sent.count(leak), f"{leak!r} in {text[:300]}"
    if status >= 400 or public:
        for folder in server_paths(world):
            assert text.count(folder) <= sent.count(folder), f"server folder in {text[:300]}"
    if status == 401 and _path(response).startswith("/opds"):
        # OPDS readers prompt for a login on the authentication document, not a JSON error.
        assert response.headers["www-authenticate"].startswith("Basic "), response.headers
        if method != "HEAD":
            assert response.headers["content-type"] == "application/opds-authentication+json"
            document = json.loads(text)
            assert document["authentication"][0]["type"] == "http://opds-spec.org/auth/basic"
        return
    html = response.headers.get("content-type", "").startswith("text/html")
    if status >= 400 and html and _web_page(_path(response)):
        return  # the web app answers a browser with an error page (its leaks checked above)
    if status >= 400 and method != "HEAD":
        assert response.headers["content-type"].startswith("application/json"), text[:300]
        body = json.loads(text)
        assert isinstance(body, dict)
        if _path(response).startswith("/koreader"):
            # KOReader's sync server's envelope: an application code and a message.
            assert response.headers["content-type"] == "application/json"
            assert isinstance(body.get("code"), int) and not isinstance(body["code"], bool)
            assert isinstance(body.get("message"), str) and body["message"]
            return
        assert isinstance(body.get("error"), str) and body["error"]
        assert isinstance(body.get("message"), str)


def _web_page(path: str) -> bool:
    """A path of the web app's pages, not of an API or of OPDS."""
    return bool(path) and not path.startswith(("/api/", "/opds", "/komga", "/koreader"))


def _sent(response: httpx.Response) -> str:
    """The request's target as sent and decoded, or "" for an answer built by hand."""
    try:
        target = response.request.url.raw_path.decode("ascii", "replace")
    except RuntimeError:
        return ""
    return target + "\n" + unquote(target)


def _path(response: httpx.Response) -> str:
    try:
        return response.request.url.path
    except RuntimeError:  # an answer built by hand, with no request attached
        return ""


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    consumed: int  # request body bytes the app pulled


@dataclass
class _Exchange:
    chunks: Iterator[bytes]
    consumed: int = 0
    done: bool = False
    finished: bool = False
    sent: list[dict[str, Any]] = field(default_factory=list)


def raw_request(
    world: World,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    headers: Sequence[tuple[bytes, bytes]] = (),
    body: Iterator[bytes] | None = None,
    token: str | None = None,
) -> RawAnswer:
    """One request straight into the ASGI app, byte for byte as given."""
    all_headers = [(b"host", b"testserver"), *headers]
    if token is not None:
        all_headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": all_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    exchange = _Exchange(body if body is not None else iter(()))

    async def receive() -> dict[str, Any]:
        if exchange.done:
            # Like a server: the client goes away only once the response is complete.
            while not exchange.finished:
                await anyio.sleep(0.005)
            return {"type": "http.disconnect"}
        chunk = next(exchange.chunks, None)
        if chunk is None:
            exchange.done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        exchange.consumed += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        exchange.sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            exchange.finished = True

    async def run() -> None:
        await world.client.app(scope, receive, send)  # type: ignore[arg-type]

    anyio.run(run)
    start = next(m for m in exchange.sent if m["type"] == "http.response.start")
    body_bytes = b"".join(m.get("body", b"") for m in exchange.sent[1:])
    decoded = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    return RawAnswer(start["status"], decoded, body_bytes, exchange.consumed)


def check_raw(world: World, answer: RawAnswer) -> None:
    """``check_answer`` for a raw ASGI answer."""
    response = httpx.Response(answer.status, headers=answer.headers, content=answer.body)
    check_answer(world, response)
