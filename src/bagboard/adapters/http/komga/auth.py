"""The ``/komga`` gate (research note §5.2): API keys, Basic, and a session cookie.

Komga clients authenticate once and then lean on a cookie (Mihon's tracker and Komelia send
no credentials at all after login), so every successful credential check that did not come
with a valid session answers with ``komga-remember-me``: an opaque value bound to the token
that authenticated (``Authenticator.session_value``), re-checked on every use so revoking
the token ends the session. KMReader takes the same value from an ``X-Auth-Token`` response
header when it sent an empty one. Basic must name the token's own user: Aidoku then compares
``users/me``'s ``email`` with what was typed. Missing or bad credentials are a 401 with a
Basic challenge (``errors.py``), never 403 or a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from typing import Final

from litestar.datastructures import Cookie, Headers
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bagboard.domain.errors import Unauthorized
from bagboard.domain.model import ApiToken
from bagboard.domain.tokens import basic_user_name
from bagboard.services.auth import Authenticator

__all__ = [
    "COOKIE_NAME",
    "PUBLIC_PATHS",
    "KomgaAuthMiddleware",
    "expired_cookies",
    "request_token",
    "session_cookies",
]

COOKIE_NAME: Final = "komga-remember-me"
SESSION_HEADER: Final = "x-auth-token"
# A year: the session lasts as long as its token, which the user revokes to end it.
MAX_AGE: Final = 365 * 24 * 3600
# Komelia keeps the cookie only if its Path equals the path the user typed, with or without
# the trailing slash; both are sent.
COOKIE_PATHS: Final = ("/komga", "/komga/")
PUBLIC_PATHS: Final = frozenset({"/komga/api/v1/client-settings/global/list", "/komga/api/logout"})


def session_cookies(value: str) -> list[tuple[bytes, bytes]]:
    return [
        (
            b"set-cookie",
            f"{COOKIE_NAME}={value}; Path={path}; Max-Age={MAX_AGE}; HttpOnly; SameSite=Lax".encode(
                "latin-1"
            ),
        )
        for path in COOKIE_PATHS
    ]


def expired_cookies() -> list[Cookie]:
    return [
        Cookie(key=COOKIE_NAME, value="", path=path, max_age=0, httponly=True, samesite="lax")
        for path in COOKIE_PATHS
    ]


def _cookie(header: str | None) -> str | None:
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel is not None and morsel.value else None


def request_token(scope: Scope) -> ApiToken | None:
    """The token that signed the request in, directly or through its session: progress
    writes name it as their device."""
    token = scope.get("auth")
    return token if isinstance(token, ApiToken) else None


class KomgaAuthMiddleware:
    """Puts the caller in ``scope["user"]`` (what ``current_user`` hands to handlers) and the
    token it signed in with in ``scope["auth"]`` (``request_token``)."""

    def __init__(self, app: ASGIApp, authenticator: Callable[[], Authenticator]) -> None:
        self.app = app
        self._authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"].rstrip("/") in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        authenticator = self._authenticator()
        session = (headers.get(SESSION_HEADER) or "").strip() or _cookie(headers.get("cookie"))
        found = authenticator.session_credential(session) if session else None
        authorization = headers.get("authorization")
        api_key = headers.get("x-api-key")
        # Credentials sent with the request win over a session: a cookie left by another user
        # of the same app must not speak for this one.
        if found is not None and not authorization and not api_key:
            scope["user"] = found.user
            scope["auth"] = found.token
            await self.app(scope, receive, send)
            return
        # Raises Unauthorized (or ApiDisabled), answered as 401 with a challenge.
        client = scope.get("client")
        address = client[0] if client else None
        credential = authenticator.credential(authorization, api_key, address)
        name = basic_user_name(authorization)
        if name is not None and name != credential.user.name:
            raise Unauthorized("The user name does not match the token.")
        if found is not None and found.same_signer(credential):
            scope["user"] = credential.user
            scope["auth"] = credential.token
            await self.app(scope, receive, send)  # its session is already the right one
            return
        value = authenticator.session_value(credential)
        extra = session_cookies(value)
        if SESSION_HEADER in headers:
            extra.append((SESSION_HEADER.encode(), value.encode("ascii")))
        scope["user"] = credential.user
        scope["auth"] = credential.token

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_session)
