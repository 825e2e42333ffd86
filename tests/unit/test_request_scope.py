"""The request scope: entered around each request's work, left as the answer starts, and left
however the request ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pytest
from litestar import Litestar, get
from litestar.middleware import DefineMiddleware
from litestar.response import Stream
from litestar.testing import TestClient

from bagboard.adapters.http.error_layers import error_layers, single_error_layer
from bagboard.adapters.http.request_scope import RequestScopeMiddleware

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


def _client(recorder: Recorder, *, one_error_layer: bool = False) -> TestClient[Litestar]:
    @get("/loop", sync_to_thread=False)
    def loop() -> dict[str, bool]:
        return {"inside": _INSIDE.get()}

    @get("/thread", sync_to_thread=True)
    def thread() -> dict[str, bool]:
        return {"inside": _INSIDE.get()}

    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("the handler failed")

    @get("/stream", sync_to_thread=False)
    def stream() -> Stream:
        def body() -> Iterator[bytes]:
            yield str(recorder.open).encode()  # the answer has started

        return Stream(body())

    app = Litestar(
        route_handlers=[loop, thread, boom, stream],
        middleware=[DefineMiddleware(RequestScopeMiddleware, scope=recorder.scope)],
        logging_config=None,
    )
    if one_error_layer:
        single_error_layer(app, through=(RequestScopeMiddleware,))
        assert error_layers(app, "/boom", "GET") == 0
    return TestClient(app)


def test_handlers_run_inside_the_scope_on_the_loop_and_in_worker_threads() -> None:
    recorder = Recorder()
    with _client(recorder) as client:
        assert client.get("/loop").json() == {"inside": True}
        assert client.get("/thread").json() == {"inside": True}
    assert recorder.entered == 2
    assert recorder.open == 0


@pytest.mark.parametrize("one_error_layer", [False, True])
def test_the_scope_is_left_when_the_handler_raises(one_error_layer: bool) -> None:
    recorder = Recorder()
    with _client(recorder, one_error_layer=one_error_layer) as client:
        assert client.get("/boom").status_code == 500
        assert client.get("/stream").text == "0"
        assert client.get("/loop").json() == {"inside": True}
    assert recorder.entered == 3
    assert recorder.open == 0


def test_the_scope_is_left_before_the_body_is_sent() -> None:
    recorder = Recorder()
    with _client(recorder) as client:
        assert client.get("/stream").text == "0"
    assert recorder.open == 0
