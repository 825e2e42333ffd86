"""The request scope: entered around each request's work, left as the answer starts, and left
however the request ends; the app that enters it hands its handlers the scope Litestar's own
would."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.response import Stream
from litestar.testing import TestClient
from litestar.types import Message

from bagboard.adapters.http.error_layers import error_layers
from bagboard.adapters.http.request_scope import ScopedApp, with_request_scope

_INSIDE: ContextVar[bool] = ContextVar("inside", default=False)


class Recorder:
    def __init__(self) -> None:
        self.open = 0
        self.entered = 0

    @contextmanager
    def scope(self) -> Iterator[None]:
        self.open += 1
        self.entered += 1
        token = _INSIDE.set(True)
        try:
            yield
        finally:
            _INSIDE.reset(token)
            self.open -= 1


class Unanswered(BaseException):
    """Past any error handling: the request ends with no answer (as a cancelled one does)."""


def _handlers(recorder: Recorder) -> list[Any]:
    @get("/loop", sync_to_thread=False)
    def loop() -> dict[str, bool]:
        return {"inside": _INSIDE.get()}

    @get("/thread", sync_to_thread=True)
    def thread() -> dict[str, bool]:
        return {"inside": _INSIDE.get()}

    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("the handler failed")

    @get("/unanswered", sync_to_thread=False)
    def unanswered() -> None:
        raise Unanswered

    @get("/stream", sync_to_thread=False)
    def stream() -> Stream:
        def body() -> Iterator[bytes]:
            yield str(recorder.open).encode()  # the answer has started

        return Stream(body())

    @get("/scope", sync_to_thread=False)
    def scope(request: Request[Any, Any, Any]) -> dict[str, Any]:
        seen = request.scope
        return {
            "keys": sorted(seen),
            "app": seen["app"] is seen["litestar_app"] is request.app,
            "state": sorted(seen["state"]),
        }

    return [loop, thread, boom, unanswered, stream, scope]


def _app(recorder: Recorder) -> ScopedApp:
    app = ScopedApp(route_handlers=_handlers(recorder), logging_config=None)
    return with_request_scope(app, recorder.scope)


def _client(recorder: Recorder) -> TestClient[Litestar]:
    return TestClient(_app(recorder))


def test_handlers_run_inside_the_scope_on_the_loop_and_in_worker_threads() -> None:
    recorder = Recorder()
    with _client(recorder) as client:
        assert client.get("/loop").json() == {"inside": True}
        assert client.get("/thread").json() == {"inside": True}
    assert recorder.entered == 2
    assert recorder.open == 0


def test_the_scope_is_left_when_the_handler_raises() -> None:
    recorder = Recorder()
    app = _app(recorder)
    # No second error layer inside the app's own: the error is answered inside the scope.
    assert error_layers(app, "/boom", "GET") == 0
    with TestClient(app) as client:
        assert client.get("/boom").status_code == 500
        assert client.get("/stream").text == "0"
        assert client.get("/loop").json() == {"inside": True}
    assert recorder.entered == 3
    assert recorder.open == 0


def test_the_scope_is_left_when_the_request_ends_with_no_answer() -> None:
    recorder = Recorder()
    app = _app(recorder)
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Any = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/unanswered",
        "raw_path": b"/unanswered",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    with pytest.raises(Unanswered):
        asyncio.run(app(scope, receive, send))
    assert sent == []
    assert recorder.entered == 1
    assert recorder.open == 0


def test_handlers_see_the_scope_litestars_own_app_gives_them() -> None:
    recorder = Recorder()
    plain = Litestar(route_handlers=_handlers(recorder), logging_config=None)
    with TestClient(plain) as client:
        expected = client.get("/scope").json()
    assert recorder.entered == 0
    with _client(recorder) as client:
        assert client.get("/scope").json() == expected
    assert expected["app"]
    assert recorder.entered == 1
    assert recorder.open == 0


def test_without_a_request_scope_the_app_enters_nothing() -> None:
    recorder = Recorder()
    app = ScopedApp(route_handlers=_handlers(recorder), logging_config=None)
    with TestClient(app) as client:
        assert client.get("/loop").json() == {"inside": False}
        assert client.get("/boom").status_code == 500
    assert recorder.entered == 0


def test_the_scope_is_left_before_the_body_is_sent() -> None:
    recorder = Recorder()
    with _client(recorder) as client:
        assert client.get("/stream").text == "0"
    assert recorder.open == 0
