"""Errors on the web app's routes: a page for a person, a status for a script.

The statuses are the app's one table (``adapters/http/errors.py``); only the body differs.
Requests from ``reader.js`` and for images (paths under ``/web/``) get the JSON errors the API
sends. A page that needs a session sends the browser to ``/login`` and back.
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect
from litestar.types import ExceptionHandlersMap

from bagboard.adapters.http.errors import (
    handle_domain_error,
    handle_http_exception,
    handle_unexpected,
    logger,
    status_for,
)
from bagboard.adapters.http.web.gate import SignInRequired
from bagboard.adapters.http.web.list_files import too_large_message
from bagboard.adapters.http.web.list_pages import LISTS
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import query
from bagboard.domain.errors import DomainError

__all__ = ["SCRIPT_PREFIX", "WEB_EXCEPTION_HANDLERS"]

SCRIPT_PREFIX: Final = "/web/"
_MESSAGES: Final = {
    400: "That request did not make sense.",
    403: "That is not allowed.",
    404: "There is nothing here.",
    405: "That is not allowed here.",
    409: "Something changed in the meantime; reload the page.",
    413: "That is more than this page takes at once.",
    422: "This comic cannot be read.",
    503: "The server is busy; try again in a moment.",
}


def _for_script(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(SCRIPT_PREFIX)


def _error_page(request: Request[Any, Any, Any], status: int, message: str = "") -> Response[Any]:
    text = message or _MESSAGES.get(status, "Something went wrong.")
    context: dict[str, object] = {"status": status, "message": text}
    if request.url.path.startswith(LISTS):
        context["back"] = ("Reading lists", LISTS)
    return page("error.html", request, context, status_code=status)


def _sign_in(request: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    if _for_script(request) or request.method not in ("GET", "HEAD"):
        return handle_http_exception(request, exc)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect("/login" + query(next=here), status_code=303)


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if _for_script(request):
        return handle_domain_error(request, exc)
    status = status_for(exc)
    if status is None:
        return _unexpected(request, exc)
    # Domain messages are written for people and never carry a server path.
    return _error_page(request, status, exc.message if status in (400, 409) else "")


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if _for_script(request):
        return handle_http_exception(request, exc)
    status = exc.status_code
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc.detail)
        return _error_page(request, 500)
    message = exc.detail if status == 403 else ""
    if status == 413 and request.url.path == LISTS:
        message = too_large_message()
    return _error_page(request, status, message)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if _for_script(request):
        return handle_unexpected(request, exc)
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error_page(request, 500)


WEB_EXCEPTION_HANDLERS: Final[ExceptionHandlersMap] = {
    SignInRequired: _sign_in,
    DomainError: _domain,
    HTTPException: _http,
    Exception: _unexpected,
}
