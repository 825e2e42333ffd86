"""``before_send`` hooks that act on one request method, called only for that method.

Litestar calls each app-level ``before_send`` hook with every message of every request, so
two hooks that act on HEAD and OPTIONS answers only (``routing.drop_head_body``,
``app.FullAllow``) wrapped the send of every GET in a coroutine and two calls that did nothing
(about 2% of ``/auth/ping``'s work in the app). ``with_method_hooks`` puts the same hooks
around the same point, the app's send outside its error handling (so every answer passes them,
a 404's and a 405's included), but only for the methods named.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import cast

from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Hook", "MethodHooks", "with_method_hooks"]

# What Litestar's ``before_send`` takes (asynchronous ones only).
Hook = Callable[[Message, Scope], Awaitable[None]]
Hooks = Sequence[Hook]


class MethodHooks:
    """ASGI wrapper: each message sent in answer to a request whose method ``hooks`` names
    passes that method's hooks, in order, before it is sent."""

    def __init__(self, app: ASGIApp, hooks: Mapping[str, Hooks]) -> None:
        self._app = app
        self._hooks = dict(hooks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hooks = self._hooks.get(cast("str", scope.get("method", "")))
        if hooks is None:
            await self._app(scope, receive, send)
            return

        async def hooked(message: Message) -> None:
            for hook in hooks:
                await hook(message, scope)
            await send(message)

        await self._app(scope, receive, hooked)


def with_method_hooks(app: Litestar, hooks: Mapping[str, Hooks]) -> Litestar:
    """``app`` with ``hooks`` around its handling, where its ``before_send`` hooks would be
    (``Litestar.asgi_handler`` is what ``Litestar.__call__`` sends each request to)."""
    app.asgi_handler = MethodHooks(app.asgi_handler, hooks)
    return app
