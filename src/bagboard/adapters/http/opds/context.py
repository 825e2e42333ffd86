"""What every OPDS handler gets: the links of this request, and this user's catalog."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency

from bagboard.adapters.http.forwarded import PEER_KEY
from bagboard.adapters.http.opds.base_url import BaseUrlPolicy, Links, RequestAddress
from bagboard.adapters.http.opds.catalog import Catalog
from bagboard.adapters.http.opds.reading_feeds import ReadingFeeds
from bagboard.domain.errors import NotFound
from bagboard.domain.model import User
from bagboard.services.browse import BrowseService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.shelves import ShelfService

__all__ = [
    "POLICY_STATE_KEY",
    "STARTED_STATE_KEY",
    "links_for",
    "opds_state",
    "provide_catalog",
    "provide_links",
    "provide_reading_feeds",
]


POLICY_STATE_KEY: Final = "opds_base_url"
STARTED_STATE_KEY: Final = "opds_started"


def opds_state(policy: BaseUrlPolicy) -> dict[str, object]:
    """The app state the OPDS handlers read; ``create_app`` merges it in."""
    return {POLICY_STATE_KEY: policy, STARTED_STATE_KEY: datetime.now(UTC).replace(microsecond=0)}


def links_for(connection: ASGIConnection[Any, Any, Any, Any]) -> Links:
    state: State = connection.app.state
    policy: BaseUrlPolicy = state.get(POLICY_STATE_KEY) or BaseUrlPolicy()
    scope = connection.scope
    server = scope.get("server")
    host = connection.headers.get("host") or (f"{server[0]}:{server[1]}" if server else "localhost")
    # The connection's own address (a proxy's, behind one): it decides what is believed.
    client = scope.get("client")
    peer = scope.get(PEER_KEY)
    if not isinstance(peer, str):
        peer = client[0] if client else None
    address = RequestAddress(
        scheme=str(scope.get("scheme") or "http"),
        host=host,
        root_path=str(scope.get("root_path") or ""),
        client=peer,
        headers=connection.headers,
    )
    return Links(policy.base(address))


def provide_links(request: Request[Any, Any, Any]) -> Links:
    """Dependency ``links``."""
    return links_for(request)


def provide_catalog(
    request: Request[Any, Any, Any],
    browse: NamedDependency[BrowseService],
    shelves: NamedDependency[ShelfService],
    current_user: NamedDependency[User],
) -> Catalog:
    """Dependency ``catalog``."""
    started: datetime = request.app.state.get(STARTED_STATE_KEY) or datetime.now(UTC)
    return Catalog(browse, shelves, current_user, started, links_for(request))


def provide_reading_feeds(
    request: Request[Any, Any, Any],
    catalog: NamedDependency[Catalog],
    browse: NamedDependency[BrowseService],
    current_user: NamedDependency[User],
    reading_orders: NamedDependency[ReadingOrderService | None] = None,
) -> ReadingFeeds:
    """Dependency ``reading_feeds``: after ``catalog``, whose links it shares (one dependency
    chain, as ``Catalog`` explains). An app made without reading orders (``HttpServices``
    leaves them optional) has no such feeds: 404, as for an unknown list."""
    if reading_orders is None:
        raise NotFound("this server keeps no reading lists")
    started: datetime = request.app.state.get(STARTED_STATE_KEY) or datetime.now(UTC)
    return ReadingFeeds(reading_orders, browse, current_user, started, catalog.links)
