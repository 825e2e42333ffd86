"""HEAD wherever GET works (contract §1).

Litestar routes HEAD only to handlers that list it, and its HEAD handlers may not return a body.
So read endpoints register for both methods through ``get`` below, and one ``before_send`` hook
empties every body sent in answer to a HEAD request, after the handler (or an error handler) has
produced the same status and headers a GET would get, ``Content-Length`` included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import HttpMethod, route
from litestar.handlers import HTTPRouteHandler
from litestar.types import Message, Scope

__all__ = ["READ_METHODS", "drop_head_body", "get"]

READ_METHODS: tuple[HttpMethod, ...] = (HttpMethod.GET, HttpMethod.HEAD)


def get(path: str | Sequence[str] | None = None, **kwargs: Any) -> HTTPRouteHandler:
    """Like ``litestar.get``, but also answers HEAD. Use it for every read endpoint."""
    return route(path, http_method=list(READ_METHODS), **kwargs)


async def drop_head_body(message: Message, scope: Scope) -> None:
    """``before_send`` hook: a HEAD response keeps its headers and loses its body."""
    if message["type"] == "http.response.body" and scope.get("method") == HttpMethod.HEAD:
        message["body"] = b""
