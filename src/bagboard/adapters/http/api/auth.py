"""``/auth``: token checks."""

from __future__ import annotations

from functools import lru_cache

import msgspec
from litestar import Controller, MediaType, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.schemas import PingResponse
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.openapi import ok
from bagboard.adapters.http.routing import get
from bagboard.services.settings import SettingsService

__all__ = ["AuthController"]


@lru_cache(maxsize=16)
def _ping_body(version: str, browse_mode: str) -> bytes:
    """The answer's bytes, encoded once per version and mode: what a client checking its
    token asks most often is answered as Litestar's floor answers, with bytes ready."""
    return msgspec.json.encode(PingResponse(ok=True, version=version, browse_mode=browse_mode))


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @get("/ping", sync_to_thread=False, responses=ok(PingResponse, examples.PING))
    def ping(
        self, settings: NamedDependency[SettingsService], version: NamedDependency[str]
    ) -> Response[bytes]:
        """Verify the token and report the server version and the saved browse mode."""
        mode = settings.current().browse_mode
        return Response(_ping_body(version, mode.value), media_type=MediaType.JSON)
