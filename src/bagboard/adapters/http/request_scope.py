"""A context entered around the work of each HTTP request, given by the composition root.

The app knows nothing of what the context holds: the server passes a plain function returning a
context manager (``HttpServices.request_scope``; on PostgreSQL, one database connection shared
by the request's reads). The app enters it as the request arrives, before routing, so the
context covers authentication, the handler and the error handling. It is left as the answer
starts: a long download to a slow client holds nothing the next requests need while its body
is sent. An error is answered inside it, by Litestar's error handling, and the answer's start
leaves it (no error handler reads storage, and one that did would share the request's
connection); a request that ends with no answer at all (cancelled, or an error past the error
handling) leaves it as it ends, however it ends.

Entered by the app's own entry point (``ScopedApp.__call__``) rather than by a middleware:
the request runs one coroutine fewer, and the ``send`` that leaves the context is a plain
function handing back the next ``send``'s awaitable, not a coroutine per message. Counted with
callgrind on ``/auth/ping`` on PostgreSQL (each request a task of its own, as under uvicorn),
the scope as a middleware was 7% of the request's work in the app; entered here, with the
lighter block of ``loans.py``, it is 4%.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager

from litestar.types import Message, Receive, Scope, Send

from bagboard.adapters.http.method_hooks import MethodHookedApp

__all__ = ["RequestScope", "ScopedApp", "with_request_scope"]

RequestScope = Callable[[], AbstractContextManager[object]]

_START = "http.response.start"


class ScopedApp(MethodHookedApp):
    """A Litestar app that enters ``request_scope()`` for every HTTP request (None: nothing);
    leaves it when the answer starts, or when the request ends without one, however it ends.

    Its ``__call__`` does what Litestar 2.x's does (lifespan messages to the router; the app
    in the scope; the state; the error handling called with the wrapped ``send``), with the
    context around the last step: calling Litestar's own from here would be a coroutine more.
    tests/unit/test_request_scope.py checks the scope a handler sees against Litestar's."""

    request_scope: RequestScope | None = None

    # Typed as the app's middleware see it; lifespan messages come through here too.
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        kind: str = scope["type"]
        if kind == "lifespan":
            await self.asgi_router.lifespan(receive=receive, send=send)  # type: ignore[arg-type]
            return
        scope["app"] = scope["litestar_app"] = self
        scope.setdefault("state", {})
        request_scope = self.request_scope
        if request_scope is None or kind != "http":
            await self.asgi_handler(scope, receive, self._wrap_send(send, scope))
            return
        entered = request_scope()
        entered.__enter__()
        left = False

        def answer(message: Message) -> Awaitable[None]:
            nonlocal left
            if not left and message["type"] == _START:
                left = True
                entered.__exit__(None, None, None)
            return send(message)

        try:
            await self.asgi_handler(scope, receive, self._wrap_send(answer, scope))
        finally:
            if not left:
                left = True
                entered.__exit__(*sys.exc_info())


def with_request_scope(app: ScopedApp, request_scope: RequestScope | None) -> ScopedApp:
    """``app`` entering ``request_scope()`` around each HTTP request's work; returns ``app``."""
    app.request_scope = request_scope
    return app
