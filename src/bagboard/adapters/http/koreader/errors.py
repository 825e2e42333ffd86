"""Errors under ``/koreader`` in the reference server's shape: ``{"code", "message"}``.

KOReader shows ``message`` when a sign-in fails and otherwise only tells 401 from the rest
(anything else queues the write for later). The codes are the reference server's
(``config/errors.lua`` and its framework's): 2001 unauthorised, 2003 an invalid request,
2004 no usable document, 2005 registration refused, 103 and 104 a body that is not a JSON
object. Failures the reference has no code for carry their HTTP status as the code. Every
reply is ``application/json`` exactly (``replies.py``); none carries a traceback, a server
path or anything the client sent as a credential.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, Final

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from bagboard.adapters.http.errors import status_for
from bagboard.adapters.http.koreader.replies import KOREADER_PREFIX, MAX_BODY, reply
from bagboard.adapters.http.scoped_errors import scoped_handlers
from bagboard.domain.errors import ApiDisabled, DomainError, TooManyAttempts, Unauthorized

__all__ = [
    "BAD_DOCUMENT",
    "INVALID_REQUEST",
    "KOREADER_EXCEPTION_HANDLERS",
    "NOT_AN_OBJECT",
    "NOT_JSON",
    "REGISTRATION_DISABLED",
    "UNAUTHORIZED",
    "KosyncFailure",
    "failure_response",
    "koreader_aware",
]

logger = logging.getLogger("bagboard.http")


class KosyncFailure(Exception):
    """A request the protocol refuses, with the reference server's status, code and text."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


UNAUTHORIZED: Final = KosyncFailure(401, 2001, "Unauthorized")
INVALID_REQUEST: Final = KosyncFailure(403, 2003, "Invalid request")
BAD_DOCUMENT: Final = KosyncFailure(403, 2004, "Field 'document' not provided.")
REGISTRATION_DISABLED: Final = KosyncFailure(402, 2005, "User registration is disabled.")
NOT_JSON: Final = KosyncFailure(400, 103, "Could not parse JSON in body.")
NOT_AN_OBJECT: Final = KosyncFailure(400, 104, "Body should be a JSON hash.")
SERVER_ERROR: Final = KosyncFailure(500, 2000, "Unknown server error.")

_HTTP_MESSAGES: Final = {
    404: "No such KOReader sync route.",
    405: "Method not allowed.",
    413: f"The request body is larger than {MAX_BODY // 1024} KiB.",
}


def failure_response(
    failure: KosyncFailure, headers: dict[str, str] | None = None
) -> Response[bytes]:
    return reply({"code": failure.code, "message": failure.message}, failure.status, headers)


def _failure(request: Request[Any, Any, Any], exc: KosyncFailure) -> Response[bytes]:
    return failure_response(exc)


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    if isinstance(exc, Unauthorized | ApiDisabled):
        return failure_response(UNAUTHORIZED)
    if isinstance(exc, TooManyAttempts):
        failure = KosyncFailure(429, 429, exc.message)
        return failure_response(failure, {"Retry-After": str(exc.retry_after)})
    status = status_for(exc)
    if status is None:
        return _unexpected(request, exc)
    if status >= 500:
        headers = {"Retry-After": "1"} if status == 503 else None
        return failure_response(KosyncFailure(status, SERVER_ERROR.code, exc.message), headers)
    return failure_response(KosyncFailure(status, status, exc.message))


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        logger.error("KOReader sync %s failed with status %d", request.method, status)
        return failure_response(KosyncFailure(status, SERVER_ERROR.code, SERVER_ERROR.message))
    # Litestar's own details may echo the request; say only what went wrong.
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    message = _HTTP_MESSAGES.get(status, f"{phrase}.")
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
    return failure_response(KosyncFailure(status, status, message), headers)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    # The type only: a message or a traceback may hold a server path or what the client sent.
    logger.error("KOReader sync %s failed: %s", request.method, type(exc).__name__)
    return failure_response(SERVER_ERROR)


KOREADER_EXCEPTION_HANDLERS: Final[ExceptionHandlersMap] = {
    KosyncFailure: _failure,
    DomainError: _domain,
    HTTPException: _http,
    Exception: _unexpected,
}


def koreader_aware(handlers: ExceptionHandlersMap) -> ExceptionHandlersMap:
    """The app's handlers, answering in the reference server's shape under ``/koreader``:
    what fails before a route is found (no such path, wrong method) reaches only these."""
    return scoped_handlers(handlers, KOREADER_PREFIX, KOREADER_EXCEPTION_HANDLERS)
