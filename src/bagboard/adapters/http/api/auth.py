"""``/auth``: token checks."""

from __future__ import annotations

from litestar import Controller
from litestar.di import NamedDependency

from bagboard.adapters.http.api.schemas import PingResponse
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.openapi import ok
from bagboard.adapters.http.routing import get
from bagboard.services.settings import SettingsService

__all__ = ["AuthController"]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @get("/ping", sync_to_thread=False, responses=ok(PingResponse, examples.PING))
    def ping(
        self, settings: NamedDependency[SettingsService], version: NamedDependency[str]
    ) -> PingResponse:
        """Verify the token and report the server version and the saved browse mode."""
        mode = settings.current().browse_mode
        return PingResponse(ok=True, version=version, browse_mode=mode.value)
