"""The ``/api/v1`` gate (contract §2): every request carries a token, or is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp, Receive, Scope, Send

from bagboard.domain.model import User
from bagboard.services.auth import Authenticator

__all__ = ["PUBLIC_OPT_KEY", "PUBLIC_PATH_PATTERNS", "TokenAuthMiddleware", "current_user"]

# Paths (full, anchored) that need no token and never answer 503: the API documents itself.
PUBLIC_PATH_PATTERNS: Final[tuple[str, ...]] = (
    r"^/api/v1/docs/?$",
    r"^/api/v1/openapi\.json$",
)

# A route handler declared with ``opt={PUBLIC_OPT_KEY: True}`` is public too, wherever it lives.
PUBLIC_OPT_KEY: Final = "public"

_AUTHORIZATION: Final = b"authorization"
_API_KEY: Final = b"x-api-key"


def credentials(scope: Scope) -> tuple[str | None, str | None]:
    """The first ``Authorization`` and ``X-API-Key`` values of the request's headers.

    Read from the raw ASGI list (names arrive lower-cased, values decoded as Latin-1, as
    ``request.headers`` gives them) rather than through ``request.headers``, whose
    case-insensitive multi-dict of every header costs more than the rest of the gate.
    """
    authorization = api_key = None
    for name, value in scope["headers"]:
        if name == _AUTHORIZATION:
            if authorization is None:
                authorization = value.decode("latin-1")
        elif name == _API_KEY and api_key is None:
            api_key = value.decode("latin-1")
    return authorization, api_key


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller to a ``User`` stored as ``request.user``.

    The domain ``Authenticator`` decides everything (503 before 401, scheme rules, trimming,
    ``last_used_at``); its ``ApiDisabled``/``Unauthorized`` propagate to the error table.
    It runs on every request behind the gate, so it reads the scope itself: Litestar's base
    class would build a connection object and parse every header first.
    """

    def __init__(self, app: ASGIApp, authenticator: Callable[[], Authenticator]) -> None:
        super().__init__(
            app, exclude=list(PUBLIC_PATH_PATTERNS), exclude_from_auth_key=PUBLIC_OPT_KEY
        )
        self._authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Litestar's ``should_bypass_middleware``, in line (the same tests in the same order),
        # and its ``should_bypass_for_path_pattern`` too.
        handler = scope.get("route_handler")
        exclude = self.exclude
        if (
            scope["type"] in self.scopes
            and (handler is None or not handler.opt.get(PUBLIC_OPT_KEY))
            and scope.get("method") not in self.exclude_http_methods
            and not (
                exclude
                and exclude.findall(
                    scope["raw_path"].decode()
                    if getattr(handler, "is_mount", False)
                    else scope["path"]
                )
            )
        ):
            # Run on the loop, like every handler that only reads the index: see app.py.
            scope["user"] = self._user(scope)
            scope["auth"] = None
        await self.app(scope, receive, send)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        return AuthenticationResult(user=self._user(connection.scope), auth=None)

    def _user(self, scope: Scope) -> User:
        authorization, api_key = credentials(scope)
        client = scope.get("client")
        # Password failures are throttled per client address as well as per user name.
        address = client[0] if client else None
        return self._authenticator().authenticate(authorization, api_key, address)


def current_user(request: Request[User, None, Any]) -> User:
    """Dependency ``current_user``: the caller the gate let through."""
    return request.user
