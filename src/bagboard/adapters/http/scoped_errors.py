"""Error handlers that answer in a protocol's own shape under its prefix.

Litestar runs only the app's exception handlers for what fails before a route is found (no
such path, a wrong method), so a protocol with its own error body (Komga's Spring errors,
KOReader's ``{code, message}``) wraps the app's: under its prefix its handler answers, anywhere
else the app's own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandler, ExceptionHandlersMap

__all__ = ["scoped_handlers"]


def _delegating(
    prefix: str, fallback: ExceptionHandler[Any], scoped: ExceptionHandler[Any]
) -> ExceptionHandler[Any]:
    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        path = request.scope["path"]
        if path == prefix or path.startswith(prefix + "/"):
            return scoped(request, exc)
        return fallback(request, exc)

    return handle


def scoped_handlers(
    handlers: ExceptionHandlersMap, prefix: str, scoped: ExceptionHandlersMap
) -> ExceptionHandlersMap:
    """``handlers`` with each kind that ``scoped`` also handles answered by ``scoped``'s
    handler for requests under ``prefix``."""
    wrapped: dict[Any, ExceptionHandler[Any]] = dict(handlers)
    for kind, handler in scoped.items():
        fallback = handlers.get(kind)
        if fallback is not None:
            wrapped[kind] = _delegating(prefix, fallback, handler)
    return wrapped
