"""``/komga``: the part of Komga's REST API that Komga clients use (docs/komga.md).

One router behind ``KomgaAuthMiddleware``, with Spring-shaped errors. Handlers take
``current_user`` and the ``komga`` dependency (``SeriesCatalog``) plus the app's shared
services (``issues``, ``renditions``, ``progress``, ``series_progress``, and
``reading_orders`` with ``reading_lists`` for read lists); add a route by appending its
handler to ``KOMGA_HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Router
from litestar.middleware import DefineMiddleware

from bagboard.adapters.http.komga.auth import KomgaAuthMiddleware
from bagboard.adapters.http.komga.book_list_routes import BOOK_LIST_HANDLERS
from bagboard.adapters.http.komga.book_routes import BOOK_HANDLERS
from bagboard.adapters.http.komga.errors import KOMGA_EXCEPTION_HANDLERS, KOMGA_PREFIX
from bagboard.adapters.http.komga.event_routes import EVENT_HANDLERS
from bagboard.adapters.http.komga.progress_routes import PROGRESS_HANDLERS
from bagboard.adapters.http.komga.readlist_routes import READLIST_HANDLERS
from bagboard.adapters.http.komga.referential_routes import REFERENTIAL_HANDLERS
from bagboard.adapters.http.komga.series_routes import SERIES_HANDLERS
from bagboard.adapters.http.komga.session_routes import SESSION_HANDLERS
from bagboard.services.auth import Authenticator

__all__ = ["KOMGA_HANDLERS", "komga_router"]

KOMGA_HANDLERS = [
    *SESSION_HANDLERS,
    *SERIES_HANDLERS,
    *BOOK_HANDLERS,
    *BOOK_LIST_HANDLERS,
    *REFERENTIAL_HANDLERS,
    *READLIST_HANDLERS,
    *PROGRESS_HANDLERS,
    *EVENT_HANDLERS,
]


def komga_router(authenticator: Callable[[], Authenticator]) -> Router:
    return Router(
        path=KOMGA_PREFIX,
        route_handlers=list(KOMGA_HANDLERS),
        middleware=[DefineMiddleware(KomgaAuthMiddleware, authenticator=authenticator)],
        exception_handlers=dict(KOMGA_EXCEPTION_HANDLERS),
        include_in_schema=False,
    )
