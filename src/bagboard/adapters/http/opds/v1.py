"""OPDS 1.2 routes: the catalog as Atom, its OpenSearch description, and page streaming.

Each feed route renders one ``Catalog`` method (reading the index only, so on the event loop)
and goes out through ``feed_response``: one representation per URL whatever ``Accept`` says.
The root answers at ``/opds/v1.2``, ``/opds/v1.2/`` and ``/opds/v1.2/catalog``, since readers'
users type any of them.
"""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.opds.atom import atom_type, render_feed, render_opensearch
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.catalog import Catalog
from bagboard.adapters.http.opds.feed import Feed
from bagboard.adapters.http.opds.media import OPENSEARCH, V1_PREFIX
from bagboard.adapters.http.opds.pse import pse_page
from bagboard.adapters.http.opds.responses import feed_response
from bagboard.adapters.http.routing import get

# Handler paths are below the ``/opds`` router.
_V1 = V1_PREFIX.removeprefix("/opds")


def _send(feed: Feed, links: Links, if_none_match: str | None) -> Response[bytes]:
    return feed_response(render_feed(feed, links), atom_type(feed.kind), if_none_match)


@get([_V1, f"{_V1}/", f"{_V1}/catalog"], sync_to_thread=False)
def root(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """The navigation root."""
    return _send(catalog.root(), links, if_none_match)


@get(f"{_V1}/publishers", sync_to_thread=False)
def publishers(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.publishers(page), links, if_none_match)


@get(f"{_V1}/series", sync_to_thread=False)
def series(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    publisher: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.series(publisher, page), links, if_none_match)


@get(f"{_V1}/issues", sync_to_thread=False)
def issues(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    series: FromQuery[str | None] = None,
    publisher: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """The issues of one series, in number order."""
    return _send(catalog.issues(series, publisher, page), links, if_none_match)


@get(f"{_V1}/recent", sync_to_thread=False)
def recent(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.recent(page), links, if_none_match)


@get(f"{_V1}/keep-reading", sync_to_thread=False)
def keep_reading(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.keep_reading(page), links, if_none_match)


@get(f"{_V1}/to-read", sync_to_thread=False)
def to_read(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.to_read(page), links, if_none_match)


@get(f"{_V1}/favorites", sync_to_thread=False)
def favorites(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.favorites(page), links, if_none_match)


@get(f"{_V1}/folder", sync_to_thread=False)
def folder(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    path: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.folder(path, page), links, if_none_match)


@get(f"{_V1}/search", sync_to_thread=False)
def search(
    catalog: NamedDependency[Catalog],
    links: NamedDependency[Links],
    q: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    return _send(catalog.search(q, page), links, if_none_match)


@get(f"{_V1}/opensearch.xml", sync_to_thread=False)
def opensearch(links: NamedDependency[Links], if_none_match: IfNoneMatch = None) -> Response[bytes]:
    return feed_response(render_opensearch(links), OPENSEARCH, if_none_match)


OPDS_V1_HANDLERS: tuple[ControllerRouterHandler, ...] = (
    root,
    publishers,
    series,
    issues,
    recent,
    keep_reading,
    to_read,
    favorites,
    folder,
    search,
    opensearch,
    pse_page,
)
