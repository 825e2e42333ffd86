"""``/koreader``: the KOReader sync server (kosync), for KOReader's "custom sync server".

Its own gate and its own errors: KOReader signs in with ``x-auth-user``/``x-auth-key`` on
every request (``routes.kosync_user``), never with a bearer token, and reads failures as
``{"code", "message"}`` (``errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Router
from litestar.di import Provide

from bagboard.adapters.http.koreader.errors import KOREADER_EXCEPTION_HANDLERS
from bagboard.adapters.http.koreader.replies import KOREADER_PREFIX, MAX_BODY
from bagboard.adapters.http.koreader.routes import KOREADER_HANDLERS, kosync_user
from bagboard.services.kosync import KosyncService

__all__ = ["koreader_router"]


def koreader_router(kosync: Callable[[], KosyncService]) -> Router:
    def provide() -> KosyncService:
        return kosync()

    return Router(
        path=KOREADER_PREFIX,
        route_handlers=list(KOREADER_HANDLERS),
        dependencies={
            "kosync": Provide(provide, sync_to_thread=False),
            "kosync_user": Provide(kosync_user, sync_to_thread=True),
        },
        exception_handlers=dict(KOREADER_EXCEPTION_HANDLERS),
        request_max_body_size=MAX_BODY,
        include_in_schema=False,
    )
