"""``/opds``: both catalog versions and their shared routes, behind the same login as the API.

Every OPDS path takes ``Authorization: Bearer``, ``X-API-Key`` or ``Authorization: Basic``
with the token as password. Without a valid one it answers 401 with ``WWW-Authenticate:
Basic``, the authentication document and its ``Link`` (never 403), so that readers prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, Response, Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware

from bagboard.adapters.http.auth import TokenAuthMiddleware
from bagboard.adapters.http.opds.auth_document import document_response
from bagboard.adapters.http.opds.context import (
    links_for,
    provide_catalog,
    provide_links,
    provide_reading_feeds,
)
from bagboard.adapters.http.opds.files import OpdsFilesController
from bagboard.adapters.http.opds.media import OPDS_PREFIX
from bagboard.adapters.http.opds.v1.routes import OPDS_V1_HANDLERS
from bagboard.adapters.http.opds.v2.routes import OPDS_V2_HANDLERS
from bagboard.domain.errors import Unauthorized
from bagboard.services.auth import Authenticator

__all__ = ["opds_router"]


def _unauthorized(request: Request[Any, Any, Any], exc: Unauthorized) -> Response[bytes]:
    del exc
    return document_response(links_for(request), status=401)


def opds_router(authenticator: Callable[[], Authenticator]) -> Router:
    return Router(
        path=OPDS_PREFIX,
        route_handlers=[OpdsFilesController, *OPDS_V1_HANDLERS, *OPDS_V2_HANDLERS],
        middleware=[DefineMiddleware(TokenAuthMiddleware, authenticator=authenticator)],
        exception_handlers={Unauthorized: _unauthorized},
        dependencies={
            "links": Provide(provide_links, sync_to_thread=False),
            "catalog": Provide(provide_catalog, sync_to_thread=False),
            "reading_feeds": Provide(provide_reading_feeds, sync_to_thread=False),
        },
        include_in_schema=False,
    )
