"""``before_send`` hooks that act on one request method, called only for that method.

Litestar calls each app-level ``before_send`` hook with every message of every request, so
two hooks that act on HEAD and OPTIONS answers only (``routing.drop_head_body``,
``app.FullAllow``) wrapped the send of every GET in a coroutine and two calls that did nothing
(about 2% of ``/auth/ping``'s work in the app). ``MethodHookedApp`` puts the same hooks at the
same point, the send Litestar hands its whole handling (outside its error handling, so every
answer passes them, a 404's and a 405's included), but only for the methods named: the app's
own ``_wrap_send`` (Litestar 2.x, where its ``before_send`` hooks go) returns any other
request's send as it is, so a GET passes no layer of this at all, not even a coroutine that
calls on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from litestar import Litestar
from litestar.types import Message, Scope, Send

__all__ = ["Hook", "MethodHookedApp", "with_method_hooks"]

# What Litestar's ``before_send`` takes (asynchronous ones only).
Hook = Callable[[Message, Scope], Awaitable[None]]
Hooks = Sequence[Hook]


class MethodHookedApp(Litestar):
    """A Litestar app whose answer to a request whose method ``method_hooks`` names passes
    that method's hooks, in order, message by message, before it is sent."""

    method_hooks: Mapping[str, Hooks] = {}

    def _wrap_send(self, send: Send, scope: Scope) -> Send:
        if self.before_send:
            send = super()._wrap_send(send, scope)
        # No ``typing.cast`` here: it is a call of Python on every request.
        method: str = scope.get("method", "")  # type: ignore[assignment]
        hooks = self.method_hooks.get(method)
        if hooks is None:
            return send

        async def hooked(message: Message) -> None:
            for hook in hooks:
                await hook(message, scope)
            await send(message)

        return hooked


def with_method_hooks(app: MethodHookedApp, hooks: Mapping[str, Hooks]) -> MethodHookedApp:
    """``app`` with ``hooks`` around its handling, where its ``before_send`` hooks would be."""
    app.method_hooks = dict(hooks)
    return app
