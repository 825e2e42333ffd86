"""Errors under ``/komga`` in Spring Boot's shape: ``{timestamp, status, error, message, path}``.

Aidoku reads ``error`` and ``message``; Komga clients never see bagboard's own error body. A 401
carries ``WWW-Authenticate: Basic`` so that OkHttp (Mihon) retries with the user's credentials.
The app-wide handlers delegate here only for paths under ``/komga``; other paths never pay
more than one prefix test, and only when they fail.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import quote

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from bagboard.adapters.http.errors import status_for
from bagboard.adapters.http.komga.wire import SpringError, instant
from bagboard.adapters.http.scoped_errors import scoped_handlers
from bagboard.domain.errors import ApiDisabled, DomainError, TooManyAttempts, Unauthorized

__all__ = [
    "CHALLENGE",
    "KOMGA_EXCEPTION_HANDLERS",
    "KOMGA_PREFIX",
    "komga_aware",
    "request_path",
    "spring_body",
    "spring_response",
]

KOMGA_PREFIX: Final = "/komga"
CHALLENGE: Final = {"WWW-Authenticate": 'Basic realm="bagboard"'}

logger = logging.getLogger("bagboard.http")


def spring_body(status: int, message: str, path: str) -> bytes:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = SpringError(instant(datetime.now(UTC)), status, phrase, message, path)
    return msgspec.json.encode(body)


def request_path(request: Request[Any, Any, Any]) -> str:
    """The path as the client sent it, still percent-encoded (Spring reports the request URI
    so): a value the client put in a path segment comes back as it was sent, ``%2F`` and all,
    never decoded into something that reads like a server folder."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return raw.split(b"?", 1)[0].decode("latin-1")
    return quote(request.scope["path"], safe="/")


def spring_response(
    request: Request[Any, Any, Any],
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response[bytes]:
    return Response(
        content=spring_body(status, message, request_path(request)),
        status_code=status,
        headers=dict(headers or {}),
        media_type=MediaType.JSON,
    )


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    if isinstance(exc, Unauthorized | ApiDisabled):
        return spring_response(request, 401, exc.message or "Unauthorized", CHALLENGE)
    if isinstance(exc, TooManyAttempts):
        return spring_response(request, 429, exc.message, {"Retry-After": str(exc.retry_after)})
    status = status_for(exc)
    if status is None:
        return _unexpected(request, exc)
    return spring_response(request, status, exc.message)


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc.detail)
        return spring_response(request, status, "Internal server error")
    # Litestar's validation details echo the request line; say only what was wrong.
    message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
    if status == 401:
        headers |= CHALLENGE
    return spring_response(request, status, message, headers)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return spring_response(request, 500, "Internal server error")


KOMGA_EXCEPTION_HANDLERS: Final[ExceptionHandlersMap] = {
    DomainError: _domain,
    HTTPException: _http,
    Exception: _unexpected,
}


def komga_aware(handlers: ExceptionHandlersMap) -> ExceptionHandlersMap:
    """The app's handlers, answering in Spring's shape under ``/komga``: what fails before
    any route is found (no such path, wrong method) reaches only the app's handlers."""
    return scoped_handlers(handlers, KOMGA_PREFIX, KOMGA_EXCEPTION_HANDLERS)
