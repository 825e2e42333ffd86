"""Who is signed in to the web app, and the checks every change it makes must pass.

The session travels in one cookie (``SESSION_COOKIE``: HttpOnly, SameSite=Lax, Secure over
https). ``WebSessionMiddleware`` turns it into the ``User`` every handler gets as
``current_user``, exactly as the token gate does for ``/api/v1``, and the session into
``request.auth``. A request without a live session is ``SignInRequired``: the web error
handlers send a page to ``/login`` and a script's request a 401.

``csrf_guard`` refuses a change (any method but GET and HEAD) that does not carry the
session's CSRF token, in the ``X-CSRF-Token`` header or a form's ``csrf_token`` field, or that
names another site in its ``Origin`` or ``Referer``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.services.web_sessions import WebSession, WebSessionService

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "SignInRequired",
    "WebSessionMiddleware",
    "check_origin",
    "csrf_guard",
    "end_session_cookie",
    "safe_next",
    "session_of",
    "start_session_cookie",
]

SESSION_COOKIE: Final = "bagboard_session"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_FORMS: Final = ("application/x-www-form-urlencoded", "multipart/form-data")


class SignInRequired(NotAuthorizedException):
    """No live web session came with the request."""


class WebSessionMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, sessions: Callable[[], WebSessionService]) -> None:
        super().__init__(app, exclude_from_auth_key=PUBLIC_OPT_KEY)
        self._sessions = sessions

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        session = session_of(connection, self._sessions)
        if session is None:
            raise SignInRequired("Sign in first")
        return AuthenticationResult(user=session.user, auth=session)


def session_of(
    connection: ASGIConnection[Any, Any, Any, Any], sessions: Callable[[], WebSessionService]
) -> WebSession | None:
    """The live session the cookie names, or None."""
    secret = connection.cookies.get(SESSION_COOKIE)
    return sessions().session(secret) if secret else None


def check_origin(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """``PermissionDeniedException`` when ``Origin`` (or, without it, ``Referer``) names a
    host other than the one the request was sent to. Neither header: nothing to compare."""
    headers = connection.headers
    source = headers.get("origin") or headers.get("referer")
    if source is None:
        return
    host = headers.get("host", "")
    if source == "null" or urlsplit(source).netloc.lower() != host.lower():
        raise PermissionDeniedException("The request came from another site")


async def csrf_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Guard of every web route: changes must come from this site, and a signed-in change
    must carry the session's CSRF token."""
    if connection.scope.get("method") in _SAFE_METHODS:
        return
    check_origin(connection)
    if handler.opt.get(PUBLIC_OPT_KEY):
        return  # signing in: there is no session yet, the origin check is what there is
    session: WebSession = connection.auth
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and connection.headers.get("content-type", "").startswith(_FORMS):
        # Read through a Request on the same scope: Litestar keeps the parsed form in the
        # scope, so the handler reads it again without the body being consumed twice.
        form = await Request[Any, Any, Any](connection.scope, connection.receive).form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        raise PermissionDeniedException("The form is out of date; reload the page and try again")


def safe_next(raw: str | None) -> str:
    """Where to go after signing in: a path on this site, never another host."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/"
    return raw


def start_session_cookie(
    response: Response[Any], secret: str, session: WebSession, *, secure: bool
) -> None:
    """The cookie lasts as long as the session: a fixed lifetime from signing in."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int((session.expires_at - session.created_at).total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def end_session_cookie(response: Response[Any]) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
