"""OPDS 2.0 routes."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency
from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.opds.auth_document import document_response
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.media import V2_PREFIX
from bagboard.adapters.http.routing import get


@get(f"{V2_PREFIX.removeprefix('/opds')}/auth", sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def authentication(links: NamedDependency[Links]) -> Response[bytes]:
    """The authentication document: public, as the spec requires."""
    return document_response(links)


OPDS_V2_HANDLERS: tuple[ControllerRouterHandler, ...] = (authentication,)
