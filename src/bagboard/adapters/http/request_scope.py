"""A context entered around each HTTP request, given by the composition root.

The app knows nothing of what the context holds: the server passes a plain function returning a
context manager (``HttpServices.request_scope``; on PostgreSQL, one database connection shared
by the request's reads, given back when the request ends). The middleware is the app's
outermost, so the context covers authentication, the handler and the answer, an error's
included (Litestar's error handling sits inside the middleware too).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ["RequestScope", "RequestScopeMiddleware"]

RequestScope = Callable[[], AbstractContextManager[object]]


class RequestScopeMiddleware:
    """Enters ``scope()`` for every HTTP request, and leaves it however the request ends."""

    def __init__(self, app: ASGIApp, scope: RequestScope) -> None:
        self._app = app
        self._scope = scope

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        with self._scope():
            await self._app(scope, receive, send)
