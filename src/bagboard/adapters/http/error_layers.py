"""One layer of error handling per request where a route's gate needs no second one.

Litestar catches a request's exceptions in a layer around its whole routing, which answers
them with the error table of the route the request was routed to. A route with middleware of
its own (the token gate of ``/api/v1`` and ``/opds``) gets a second such layer, between its
handler and its middleware, so that an error's answer still passes any ``send`` the middleware
wraps. The token gate wraps none: it reads the scope, sets ``scope["user"]`` in that same scope
and calls on, without catching anything. Below it, the second layer answers exactly as the
outer one would (the same table, read from the same scope state; the same check that nothing
was sent yet), so ``single_error_layer`` takes it out of every route whose middleware is all
such layers; a route with any other middleware (one that wraps ``send``, copies the scope or
catches) keeps it. The request scope (``request_scope.py``, on PostgreSQL) is no middleware:
the app enters it outside its own error layer. Counted with callgrind on ``/auth/ping``, the
second layer was 3% of the request's work in the app.

The layers are found in Litestar's routing trie (``asgi_router.root_route_map_node``, its
nodes' ``children`` and ``asgi_handlers``) and its ``ExceptionHandlerMiddleware``, internals
of Litestar 2.x; ``error_layers`` counts them for the tests, which fail should an upgrade move
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Litestar
from litestar.middleware._internal.exceptions.middleware import ExceptionHandlerMiddleware

__all__ = ["error_layers", "single_error_layer"]


def _stacks(app: Litestar) -> Iterator[tuple[str, str, Any]]:
    """Each route's stack as ``(path template, method, outermost layer)``."""
    pending = [app.asgi_router.root_route_map_node]
    while pending:
        node = pending.pop()
        for method, handler in node.asgi_handlers.items():
            yield node.path_template, method, handler.asgi_app
        pending.extend(node.children.values())


def single_error_layer(app: Litestar, through: tuple[type[Any], ...]) -> Litestar:
    """Drop the error layer Litestar puts inside a route's middleware wherever every layer of
    that middleware is of a class in ``through`` (ones that neither wrap ``send``, replace the
    scope nor catch exceptions); returns ``app``."""
    for _path, _method, layer in _stacks(app):
        above = None
        while type(layer) in through:
            above, layer = layer, layer.app
        inner = type(layer) is ExceptionHandlerMiddleware and layer.exception_handlers is None
        if above is not None and inner:
            above.app = layer.app
    return app


def error_layers(app: Litestar, path: str, method: str) -> int | None:
    """How many error layers the stack of ``method`` at ``path`` (a route's template) has
    inside the app's own; None when there is no such route (for tests)."""
    for template, found, layer in _stacks(app):
        if template == path and found == method:
            count = 0
            while layer is not None:
                count += type(layer) is ExceptionHandlerMiddleware
                # Litestar's layers and the gates name the next one ``app``, some of ours ``_app``.
                layer = getattr(layer, "app", None) or getattr(layer, "_app", None)
            return count
    return None
