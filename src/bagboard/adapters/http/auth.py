"""The ``/api/v1`` gate (contract §2): every request carries a token, or is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

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


def _authenticate(
    authenticator: Callable[[], Authenticator],
    authorization: str | None,
    api_key: str | None,
    address: str | None,
) -> User:
    return authenticator().authenticate(authorization, api_key, address)


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller to a ``User`` stored as ``request.user``.

    The domain ``Authenticator`` decides everything (503 before 401, scheme rules, trimming,
    ``last_used_at``); its ``ApiDisabled``/``Unauthorized`` propagate to the error table.
    """

    def __init__(self, app: ASGIApp, authenticator: Callable[[], Authenticator]) -> None:
        super().__init__(
            app, exclude=list(PUBLIC_PATH_PATTERNS), exclude_from_auth_key=PUBLIC_OPT_KEY
        )
        self._authenticator = authenticator

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        headers = connection.headers
        # Run on the loop, like every handler that only reads the index: see app.py.
        user = _authenticate(
            self._authenticator,
            headers.get("authorization"),
            headers.get("x-api-key"),
            # Password failures are throttled per client address as well as per user name.
            connection.client.host if connection.client else None,
        )
        return AuthenticationResult(user=user, auth=None)


def current_user(request: Request[User, None, Any]) -> User:
    """Dependency ``current_user``: the caller the gate let through."""
    return request.user
