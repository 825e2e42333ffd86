"""The token gate does what Litestar's ``AbstractAuthenticationMiddleware`` does, without its
coroutine layer (``adapters/http/auth.py``). Should an upgrade of Litestar change which
requests its authentication middleware lets through, or how a middleware is built and called,
these fail."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from litestar import Litestar, Request, Router, get
from litestar.connection import ASGIConnection
from litestar.middleware import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
    DefineMiddleware,
)
from litestar.middleware._utils import should_bypass_middleware
from litestar.testing import TestClient
from litestar.types import Message, Receive, Scope, Send

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY, PUBLIC_PATH_PATTERNS, TokenAuthMiddleware
from bagboard.domain.errors import Unauthorized


class _Reference(AbstractAuthenticationMiddleware):
    """Litestar's base class, configured as the gate was when it derived from it."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        return AuthenticationResult(user="someone", auth=None)


class _Authenticator:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls = 0

    def authenticate(self, authorization: str | None, api_key: str | None, address: str | None):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.error is not None:
            raise self.error
        return "someone"


async def _next_app(scope: Scope, receive: Receive, send: Send) -> None:
    return None


def _scopes() -> Iterator[dict[str, Any]]:
    public = SimpleNamespace(opt={PUBLIC_OPT_KEY: True}, is_mount=False)
    private = SimpleNamespace(opt={}, is_mount=False)
    mounted = SimpleNamespace(opt={}, is_mount=True)
    for kind in ("http", "websocket", "lifespan"):
        for method in ("GET", "PUT", "OPTIONS", None):
            for handler in (None, public, private, mounted):
                for path, raw in (
                    ("/api/v1/auth/ping", b"/api/v1/auth/ping"),
                    ("/api/v1/docs", b"/api/v1/docs"),
                    ("/api/v1/docs/", b"/api/v1/ping"),
                    ("/x", b"/api/v1/openapi.json"),
                    ("/api/v1/openapi.json", b"/api/v1/openapi.json"),
                    ("/api/v1/openapi.jsonx", b"/x"),
                ):
                    scope: dict[str, Any] = {
                        "type": kind,
                        "path": path,
                        "raw_path": raw,
                        "headers": [],
                        "client": ("127.0.0.1", 1),
                    }
                    if method is not None:
                        scope["method"] = method
                    if handler is not None:
                        scope["route_handler"] = handler
                    yield scope


def test_the_gate_lets_through_exactly_what_litestars_authentication_middleware_does() -> None:
    reference = _Reference(
        _next_app, exclude=list(PUBLIC_PATH_PATTERNS), exclude_from_auth_key=PUBLIC_OPT_KEY
    )
    authenticator = _Authenticator()
    gate = TokenAuthMiddleware(_next_app, authenticator=lambda: authenticator)  # type: ignore[arg-type, return-value]
    checked = 0
    for scope in _scopes():
        bypassed = should_bypass_middleware(
            exclude_http_methods=reference.exclude_http_methods,
            exclude_opt_key=reference.exclude_opt_key,
            exclude_path_pattern=reference.exclude,
            scope=scope,  # type: ignore[arg-type]
            scopes=reference.scopes,
        )
        before = authenticator.calls
        awaitable = gate(scope, _receive, _send)  # type: ignore[arg-type]
        awaitable.close()  # type: ignore[attr-defined]
        assert (authenticator.calls == before) is bypassed, scope
        assert ("user" in scope) is not bypassed, scope
        if not bypassed:
            assert (scope["user"], scope["auth"]) == ("someone", None)
        checked += 1
    assert checked == 3 * 4 * 4 * 6


async def _receive() -> Any:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Message) -> None:
    return None


def test_the_gate_hands_back_the_next_apps_awaitable_rather_than_a_coroutine_of_its_own() -> None:
    assert not inspect.iscoroutinefunction(TokenAuthMiddleware.__call__)
    made: list[Awaitable[None]] = []

    def next_app(scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        made.append(_next_app(scope, receive, send))
        return made[-1]

    gate = TokenAuthMiddleware(next_app, authenticator=_Authenticator)  # type: ignore[arg-type]
    scope = {"type": "http", "method": "GET", "path": "/p", "raw_path": b"/p", "headers": []}
    returned = gate(scope, _receive, _send)  # type: ignore[arg-type]
    assert made == [returned]
    returned.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("error_layers", [1, 0])
def test_an_error_raised_by_the_gates_call_is_answered_by_the_error_table(
    error_layers: int,
) -> None:
    # Litestar builds the gate with ``app=`` (``DefineMiddleware``) and awaits what it returns
    # inside its error layer: an ``Unauthorized`` raised by the call itself, before any
    # coroutine runs, gets the same answer as one raised inside a coroutine.
    from bagboard.adapters.http.error_layers import single_error_layer
    from bagboard.adapters.http.errors import EXCEPTION_HANDLERS

    @get("/who", sync_to_thread=False)
    def who(request: Request[Any, Any, Any]) -> str:
        return str(request.user)

    refusing = _Authenticator(Unauthorized("no token"))
    allowing = _Authenticator()
    app = Litestar(
        [
            Router(
                "/refused",
                route_handlers=[who],
                middleware=[DefineMiddleware(TokenAuthMiddleware, authenticator=lambda: refusing)],
            ),
            Router(
                "/allowed",
                route_handlers=[who],
                middleware=[DefineMiddleware(TokenAuthMiddleware, authenticator=lambda: allowing)],
            ),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        logging_config=None,
        openapi_config=None,
    )
    if error_layers == 0:
        single_error_layer(app, through=(TokenAuthMiddleware,))
    with TestClient(app) as client:
        refused = client.get("/refused/who")
        assert refused.status_code == 401
        assert refused.json() == {"error": "unauthorized", "message": "no token"}
        assert client.get("/allowed/who").text == "someone"
        # OPTIONS passes untouched, as Litestar's middleware lets a preflight through.
        assert client.options("/refused/who").status_code == 204
    assert refusing.calls == 1
