"""A context entered around the work of each HTTP request, given by the composition root.

The app knows nothing of what the context holds: the server passes a plain function returning a
context manager (``HttpServices.request_scope``; on PostgreSQL, one database connection shared
by the request's reads). The middleware wraps every route (inside the proxy's), so the context
covers authentication and the handler. It is left as the answer starts: a long download to a
slow client holds nothing the next requests need while its body is sent. When an error ends the
handling it is left as the error passes, and Litestar's error handling around the whole app
answers it (``error_layers.py``: no second layer inside this one; no error handler reads
storage).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestScope", "RequestScopeMiddleware"]

RequestScope = Callable[[], AbstractContextManager[object]]


class RequestScopeMiddleware:
    """Enters ``scope()`` for every HTTP request; leaves it when the answer starts, or when
    the request ends without one, however it ends. (It runs on every request: plain calls
    rather than an ``ExitStack``.)"""

    def __init__(self, app: ASGIApp, scope: RequestScope) -> None:
        self.app = app  # named as Litestar's middleware name the next layer (error_layers.py)
        self._scope = scope

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        entered = self._scope()
        entered.__enter__()
        left = False

        async def answer(message: Message) -> None:
            nonlocal left
            if not left and message["type"] == "http.response.start":
                left = True
                entered.__exit__(None, None, None)
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            if not left:
                left = True
                entered.__exit__(*sys.exc_info())
