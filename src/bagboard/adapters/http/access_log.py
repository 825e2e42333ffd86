"""One log line per request: method, path, status, duration and the caller's user id.

The query string is kept (it says what was asked) with the values of credential-like keys
replaced; headers are never logged, so a token never reaches the log. The line is written once
the response has been sent, whatever answered it (a handler, the token gate, an error).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl, urlencode

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLogMiddleware", "loggable_path"]

logger = logging.getLogger("bagboard.access")

_SECRET_KEYS = frozenset({"token", "api_key", "apikey", "key", "password", "access_token"})


def loggable_path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    raw = scope.get("query_string", b"")
    if not raw:
        return path
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    shown = [(k, "***" if k.lower() in _SECRET_KEYS else v) for k, v in pairs]
    return f"{path}?{urlencode(shown)}"


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # if nothing is ever sent, the server answers 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            user = scope.get("user")
            method = scope.get("method", "")
            path = loggable_path(scope)
            logger.info(
                "%s %s %d",
                method,
                path,
                status,
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": getattr(user, "id", None),
                },
            )
