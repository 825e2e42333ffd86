"""The ``/api/v1`` gate (contract §2): every request carries a token, or is refused."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Final

from litestar import Request
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

# What Litestar's authentication middleware gates by default: HTTP and websocket requests,
# any method but OPTIONS (a CORS preflight carries no credentials).
_SCOPES: Final = frozenset({"http", "websocket"})
_UNGATED_METHODS: Final = frozenset({"OPTIONS"})
_PUBLIC_PATHS: Final = re.compile("|".join(PUBLIC_PATH_PATTERNS))

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


class TokenAuthMiddleware:
    """Resolves the caller to a ``User`` stored as ``request.user``.

    The domain ``Authenticator`` decides everything (503 before 401, scheme rules, trimming,
    ``last_used_at``); its ``ApiDisabled``/``Unauthorized`` propagate to the error table.

    It does what Litestar's ``AbstractAuthenticationMiddleware`` does, without deriving from
    it: the same requests pass untouched (``_SCOPES``, ``_UNGATED_METHODS``, ``PUBLIC_OPT_KEY``
    on the route handler, ``PUBLIC_PATH_PATTERNS`` on the path, as its
    ``should_bypass_middleware`` tests them), the others get ``scope["user"]`` and
    ``scope["auth"]`` (None). Its ``__call__`` is no coroutine of its own: it hands back the
    next app's, so a request behind the gate runs one coroutine fewer (the base class awaits
    the next app inside its own, and builds a connection object that parses every header).
    An error of the authenticator is raised by the call itself, inside the ``await`` of the
    layer above, which catches it exactly as it catches one raised after the first step.
    tests/unit/test_token_gate.py pins each of these against Litestar's own.
    """

    __slots__ = ("_authenticator", "app")

    def __init__(self, app: ASGIApp, authenticator: Callable[[], Authenticator]) -> None:
        self.app = app  # named as Litestar's middleware name the next layer (error_layers.py)
        self._authenticator = authenticator

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Passed untouched: a scope of another type, a public route handler, OPTIONS, a public
        # path (the raw path for a mounted app, as Litestar reads it). In line, not a function:
        # it runs for every request.
        handler = scope.get("route_handler")
        if (
            scope["type"] in _SCOPES
            and (handler is None or not handler.opt.get(PUBLIC_OPT_KEY))
            and scope.get("method") not in _UNGATED_METHODS
            and _PUBLIC_PATHS.search(
                scope["raw_path"].decode() if getattr(handler, "is_mount", False) else scope["path"]
            )
            is None
        ):
            # Run on the loop, like every handler that only reads the index: see app.py.
            scope["user"] = self._user(scope)
            scope["auth"] = None
        return self.app(scope, receive, send)

    def _user(self, scope: Scope) -> User:
        authorization, api_key = credentials(scope)
        client = scope.get("client")
        # Password failures are throttled per client address as well as per user name.
        address = client[0] if client else None
        return self._authenticator().authenticate(authorization, api_key, address)


def current_user(request: Request[User, None, Any]) -> User:
    """Dependency ``current_user``: the caller the gate let through."""
    return request.user
