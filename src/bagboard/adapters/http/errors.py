"""The one place where errors become HTTP responses (contract §1).

Domain errors map to a status through ``DOMAIN_ERROR_STATUS``; Litestar's own exceptions (no route,
wrong method, oversized body, invalid parameters) keep their status and get a stable code; anything
else is a bug: logged with its traceback, answered with a bare 500. No response ever carries a
traceback, an exception's repr or a server path.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from bagboard.adapters.http.api.progress_json import StaleJson, stale_json
from bagboard.adapters.http.api.schemas import ErrorBody
from bagboard.domain.errors import (
    AlreadyExists,
    ApiDisabled,
    ArchiveUnreadable,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    StorageUnavailable,
    TooManyAttempts,
    Unauthorized,
)
from bagboard.domain.progress import StaleProgress

__all__ = [
    "DOMAIN_ERROR_HEADERS",
    "DOMAIN_ERROR_STATUS",
    "EXCEPTION_HANDLERS",
    "HTTP_ERROR_CODES",
    "INTERNAL_ERROR",
    "error_response",
    "handle_domain_error",
    "handle_http_exception",
    "handle_stale_progress",
    "handle_unexpected",
    "status_for",
]

logger = logging.getLogger("bagboard.http")

# Looked up along the raised class's MRO, so subclasses (ComicNotFound, InvalidMode, InvalidPath,
# ...) inherit their parent's status unless listed themselves.
DOMAIN_ERROR_STATUS: Final[Mapping[type[DomainError], int]] = {
    NotFound: 404,
    AlreadyExists: 409,
    InvalidInput: 400,
    ApiDisabled: 503,
    Unauthorized: 401,
    Forbidden: 403,
    ArchiveUnreadable: 422,
    StaleProgress: 409,
    StorageUnavailable: 503,
    TooManyAttempts: 429,
}

# A locked or unreachable database usually recovers within moments; tell clients to retry soon.
DOMAIN_ERROR_HEADERS: Final[Mapping[type[DomainError], Mapping[str, str]]] = {
    StorageUnavailable: {"Retry-After": "1"},
}

# Codes for the framework's own client errors, by status.
HTTP_ERROR_CODES: Final[Mapping[int, str]] = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}

INTERNAL_ERROR: Final = ErrorBody(error="internal_error", message="Internal server error")


def error_response(
    status: int, body: ErrorBody, headers: Mapping[str, str] | None = None
) -> Response[ErrorBody]:
    return Response(
        content=body, status_code=status, headers=dict(headers or {}), media_type=MediaType.JSON
    )


def status_for(error: DomainError) -> int | None:
    """The status the table assigns to this error's class or its nearest listed ancestor."""
    for cls in type(error).__mro__:
        status = DOMAIN_ERROR_STATUS.get(cls)
        if status is not None:
            return status
    return None


def _headers_for(error: DomainError) -> Mapping[str, str] | None:
    if isinstance(error, TooManyAttempts):
        # How long this caller must wait is the error's own, not the class's.
        return {"Retry-After": str(error.retry_after)}
    for cls in type(error).__mro__:
        headers = DOMAIN_ERROR_HEADERS.get(cls)
        if headers is not None:
            return headers
    return None


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[ErrorBody]:
    status = status_for(exc)
    if status is None:
        # A domain error nobody mapped is a programming slip; treat it like any other bug.
        return handle_unexpected(request, exc)
    body = ErrorBody(error=exc.code, message=exc.message)
    return error_response(status, body, _headers_for(exc))


def handle_stale_progress(
    request: Request[Any, Any, Any], exc: StaleProgress
) -> Response[StaleJson]:
    # The one error whose body carries data: the stored position the client lost to.
    return Response(
        content=stale_json(exc.message, exc.current),
        status_code=DOMAIN_ERROR_STATUS[StaleProgress],
        media_type=MediaType.JSON,
    )


def handle_http_exception(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[ErrorBody]:
    status = exc.status_code
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc.detail)
        return error_response(status, INTERNAL_ERROR)
    code = HTTP_ERROR_CODES.get(status, "bad_request")
    message = _validation_message(exc) if isinstance(exc, ValidationException) else exc.detail
    # Allow (on 405) and similar protocol headers must survive the rewrite.
    return error_response(status, ErrorBody(error=code, message=message), exc.headers)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, INTERNAL_ERROR)


def _validation_message(exc: ValidationException) -> str:
    # Litestar lists offending parameters as {"key", "message", "source"} and echoes the request
    # line in its detail; keep only what describes the client's input.
    problems = [
        f"{item['key']}: {item['message']}" if item.get("key") else str(item["message"])
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict) and "message" in item
    ]
    if problems:
        return "Invalid request: " + "; ".join(problems)
    detail = exc.detail.split(" for path ", 1)[0]
    return "Invalid request" if detail.startswith("Validation failed for ") else detail


EXCEPTION_HANDLERS: Final[ExceptionHandlersMap] = {
    DomainError: handle_domain_error,
    StaleProgress: handle_stale_progress,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
