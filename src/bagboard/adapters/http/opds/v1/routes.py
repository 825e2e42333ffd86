"""OPDS 1.2 routes: the catalog as Atom, its OpenSearch description, and page streaming.

The feed routes are ``feed_routes``' (the same as OPDS 2.0's, rendered as Atom); each goes
out through ``feed_response``: one representation per URL whatever ``Accept`` says.
The root answers at ``/opds/v1.2``, ``/opds/v1.2/`` and ``/opds/v1.2/catalog``, since readers'
users type any of them.
"""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency
from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.catalog import Catalog
from bagboard.adapters.http.opds.feed import Feed
from bagboard.adapters.http.opds.feed_routes import feed_routes
from bagboard.adapters.http.opds.media import OPENSEARCH, V1_PREFIX
from bagboard.adapters.http.opds.reading_routes import reading_routes
from bagboard.adapters.http.opds.responses import feed_response, kept_feed_response
from bagboard.adapters.http.opds.v1.atom import atom_type, render_feed, render_opensearch
from bagboard.adapters.http.opds.v1.pse import pse_page
from bagboard.adapters.http.routing import get

__all__ = ["OPDS_V1_HANDLERS", "opensearch", "root"]


# Handler paths are below the ``/opds`` router.
_V1 = V1_PREFIX.removeprefix("/opds")


def _send(feed: Feed, links: Links, if_none_match: str | None) -> Response[bytes]:
    return kept_feed_response(
        feed,
        ("atom", links.base),
        lambda: render_feed(feed, links),
        atom_type(feed.kind),
        if_none_match,
    )


@get([_V1, f"{_V1}/", f"{_V1}/catalog"], sync_to_thread=False)
def root(
    catalog: NamedDependency[Catalog],
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """The navigation root."""
    return _send(catalog.root(), catalog.links, if_none_match)


@get(f"{_V1}/opensearch.xml", sync_to_thread=False)
def opensearch(links: NamedDependency[Links], if_none_match: IfNoneMatch = None) -> Response[bytes]:
    return feed_response(render_opensearch(links), OPENSEARCH, if_none_match)


OPDS_V1_HANDLERS: tuple[ControllerRouterHandler, ...] = (
    root,
    *feed_routes(_V1, _send),
    *reading_routes(_V1, _send),
    opensearch,
    pse_page,
)
