"""The framework's floor for bench/clu.py: the fastest answer the server stack can give.

    python bench/floor_apps.py bare|litestar|write --port PORT --body FILE
        [--folder DIR] [--database-url URL]

serves ``FILE``'s bytes as ``application/json`` at ``/api/v1/auth/ping`` (any path, for the
bare app), from a bare ASGI callable or a one-route Litestar app, under uvicorn exactly as
``bagboard serve`` runs one process: the socket bound by bagboard's own ``listen`` and the
options of its ``_server_options`` (uvicorn's loop and HTTP implementation left at ``auto``,
so uvloop and httptools when installed; no access log, no server header, no proxy headers).
bench/clu.py gives it the body bagboard's own ``/api/v1/auth/ping`` answered, so each floor
sends the same bytes as that row: what bagboard spends beyond the floor is its own work.

``write`` is the floor of the sequential progress writes: the bare ASGI app answering each
``PUT`` by parsing its JSON body and making one durable commit of one row on the bench's
database (``sync_floor.durable_commit``: a SQLite file in ``--folder``, or a table at
``--database-url``), then sending a small JSON body. Driven by the same Python client as the
PUT row, it is what that client can get from this server stack and disk with no framework, no
authentication and no bookkeeping at all.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import types
import urllib.request
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from http_server import stop, wait_answering
from sync_floor import Step, durable_commit

PING = "/api/v1/auth/ping"
KINDS = {
    "bare": "floor: bare ASGI",
    "litestar": "floor: one-route Litestar",
    "write": "floor: bare ASGI + durable commit, one client",
}
WRITE_FLOOR_NAME = "write-floor"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def bare_app(body: bytes) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """An ASGI callable answering every HTTP request with ``body``: no routing, no framework."""
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    end = {"type": "http.response.body", "body": body}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        await send(start)
        await send(end)

    return app


async def _lifespan(receive: Receive, send: Send) -> None:
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


def write_app(body: bytes, commit: Step) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """``bare_app``, but a ``PUT`` is answered after ``commit(page_number)`` of its JSON body,
    with that number echoed as JSON."""
    ping = bare_app(body)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "PUT":
            await ping(scope, receive, send)
            return
        received = b""
        while True:
            message = await receive()
            received += message.get("body", b"")
            if not message.get("more_body"):
                break
        page = json.loads(received)["page_number"]
        commit(page)
        answer = json.dumps({"page_number": page}).encode()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(answer)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    return app


def litestar_app(body: bytes) -> Any:
    """A Litestar app of one GET route sending ``body``, configured as bagboard's app is where
    it costs per request (no logging config, no OpenAPI routes, not in debug mode)."""
    from litestar import Litestar, Response, get

    # Annotations are strings here (``from __future__``): Litestar resolves them in this
    # namespace.
    @get(PING, sync_to_thread=False, signature_namespace={"Response": Response})
    def ping() -> Response[bytes]:
        return Response(content=body, media_type="application/json")

    return Litestar(route_handlers=[ping], logging_config=None, openapi_config=None)


def serve(kind: str, port: int, body: bytes, folder: Path, url: str | None) -> None:
    """Run ``kind``'s app in this process as ``bagboard serve`` runs its own (cli/serve.py)."""
    if kind != "write":
        _run(bare_app(body) if kind == "bare" else litestar_app(body), port)
        return
    # uvicorn raises the signal that stopped it again once it has: as an exception, so that
    # the database's file or table made for the floor goes with it.
    signal.signal(signal.SIGTERM, _exit)
    with durable_commit(folder, url, WRITE_FLOOR_NAME) as commit:
        _run(write_app(body, commit), port)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _run(app: Any, port: int) -> None:
    import uvicorn

    from bagboard.cli.serve import _server_options, listen

    sock = listen("127.0.0.1", port)
    settings: Any = types.SimpleNamespace(host="127.0.0.1", port=port)  # all it reads
    options = _server_options(settings)
    uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[sock])


class Floor:
    """One floor app in its own process on ``port`` of 127.0.0.1."""

    def __init__(self, kind: str, port: int, body: Path, log: Path, *extra: str) -> None:
        self.label = KINDS[kind]
        self.base = f"http://127.0.0.1:{port}"
        command = [sys.executable, str(Path(__file__).resolve()), kind, "--port", str(port),
                   "--body", str(body), *extra]  # fmt: skip
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, expected: bytes) -> None:
        """Until it answers ``PING`` with ``expected``."""

        def ask() -> None:
            with urllib.request.urlopen(self.base + PING, timeout=10) as answer:
                got = answer.read()
            if got != expected:
                raise SystemExit(f"{self.label} answered {got!r}, not {expected!r}")

        wait_answering(ask, self.process, self.log, self.label)

    def stop(self) -> None:
        stop(self.process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="file of the bytes to send")
    parser.add_argument("--folder", type=Path, default=Path("/var/tmp"), help="write: SQLite's")
    parser.add_argument("--database-url", default=None, help="write: PostgreSQL instead")
    args = parser.parse_args()
    serve(args.kind, args.port, args.body.read_bytes(), args.folder, args.database_url)


if __name__ == "__main__":
    main()
