"""Behind the token gate, one layer of error handling rather than two (``error_layers.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, Response, Router, get
from litestar.middleware import DefineMiddleware
from litestar.testing import TestClient
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bagboard.adapters.http import create_app
from bagboard.adapters.http.error_layers import error_layers, single_error_layer
from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from bagboard.web import http_services

PING = "/api/v1/auth/ping"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[ComicLibrary]:
    settings = load_settings(data_dir=str(tmp_path), environ={})
    library = ComicLibrary.from_settings(settings, memory=True, workers=0)
    try:
        yield library
    finally:
        library.close()


def test_routes_behind_the_token_gate_keep_only_the_apps_error_layer(
    library: ComicLibrary,
) -> None:
    app = library.create_app()
    assert error_layers(app, PING, "GET") == 0
    assert error_layers(app, "/opds/v1.2/catalog", "GET") == 0
    # The Komga gate wraps ``send`` (it hands out a session): its routes keep theirs.
    assert error_layers(app, "/komga/api/v1/libraries", "GET") == 1
    assert error_layers(app, "/no/such/route", "GET") is None


def test_a_request_scope_around_the_gate_needs_no_inner_error_layer(
    library: ComicLibrary,
) -> None:
    # As on PostgreSQL: the app enters the scope outside its own error layer, which answers
    # the error inside it; the answer's start leaves it.
    left: list[bool] = []

    @contextmanager
    def scope() -> Iterator[None]:
        left.append(False)
        try:
            yield
        finally:
            left[-1] = True

    services = replace(http_services(library.container, library.config), request_scope=scope)
    app = create_app(services)
    assert error_layers(app, PING, "GET") == 0
    assert error_layers(app, "/opds/v1.2/catalog", "GET") == 0
    assert error_layers(app, "/komga/api/v1/libraries", "GET") == 1
    library.accounts.create_token()
    with TestClient(app) as client:
        answer = client.get(PING, headers={"Authorization": "Bearer wrong"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert left == [True]


class _Gate:
    """Middleware that passes everything through, as the token gate does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["user"] = "someone"
        await self.app(scope, receive, send)


class _Stamp:
    """Middleware that wraps ``send``: every answer it sends carries ``x-stamp``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (b"x-stamp", b"1")]
            await send(message)

        await self.app(scope, receive, stamped)


def _teapot(request: Request[Any, Any, Any], exc: LookupError) -> Response[dict[str, str]]:
    return Response({"error": str(exc), "user": request.scope["user"]}, status_code=418)


def _app(app_middleware: list[Any]) -> Litestar:
    @get("/fails", sync_to_thread=False)
    def fails() -> None:
        raise LookupError("not here")

    @get("/works", sync_to_thread=False)
    def works() -> str:
        return "fine"

    gated = Router(
        "/gated",
        route_handlers=[fails, works],
        middleware=[DefineMiddleware(_Gate)],
        exception_handlers={LookupError: _teapot},
    )
    return Litestar([gated], middleware=app_middleware, logging_config=None)


def test_an_error_behind_a_gate_is_answered_by_its_routers_table_from_the_outer_layer() -> None:
    app = _app([])
    assert error_layers(app, "/gated/fails", "GET") == 1
    single_error_layer(app, through=(_Gate,))
    assert error_layers(app, "/gated/fails", "GET") == 0
    with TestClient(app) as client:
        answer = client.get("/gated/fails")
        assert (answer.status_code, answer.json()) == (
            418,
            {"error": "not here", "user": "someone"},
        )
        assert client.get("/gated/works").text == "fine"


def test_middleware_that_wraps_send_keeps_the_layer_and_stamps_the_errors_answer() -> None:
    app = single_error_layer(_app([_Stamp]), through=(_Gate,))
    assert error_layers(app, "/gated/fails", "GET") == 1
    with TestClient(app) as client:
        answer = client.get("/gated/fails")
    assert answer.status_code == 418
    assert answer.headers["x-stamp"] == "1"
