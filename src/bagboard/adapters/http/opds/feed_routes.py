"""The catalog's feed routes, made once for each OPDS version.

Both versions serve the same feeds at the same routes below their prefix (``catalog.py``
decides what each holds), so a ``Target`` either version links to resolves in both; only the
rendering differs. Each feed route reads the index only, so it runs on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from litestar import Response
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, QueryParameter

from bagboard.adapters.http.api.params import PageParam
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.catalog import Catalog
from bagboard.adapters.http.opds.feed import Feed
from bagboard.adapters.http.routing import get

__all__ = ["SearchWords", "Send", "Text", "feed_routes"]


# How a version sends a feed: its rendering, through ``responses.feed_response``.
Send = Callable[[Feed, Links, str | None], Response[bytes]]

Text = FromQuery[str | None]
# ``query`` is a name Litestar keeps for the whole query string: the search words arrive as
# ``?query=`` (what OPDS 2's ``{?query}`` expands to) or ``?q=`` (the OpenSearch template's).
SearchWords = Annotated[str | None, QueryParameter(name="query", required=False)]


def feed_routes(prefix: str, send: Send) -> tuple[HTTPRouteHandler, ...]:
    """Every feed route but the root (each version adds its own), below ``prefix`` (relative
    to the ``/opds`` router, e.g. ``/v1.2``)."""

    @get(f"{prefix}/publishers", sync_to_thread=False)
    def publishers(
        catalog: NamedDependency[Catalog],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.publishers(page), catalog.links, if_none_match)

    @get(f"{prefix}/series", sync_to_thread=False)
    def series(
        catalog: NamedDependency[Catalog],
        publisher: Text = None,
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.series(publisher, page), catalog.links, if_none_match)

    @get(f"{prefix}/issues", sync_to_thread=False)
    def issues(
        catalog: NamedDependency[Catalog],
        series: Text = None,
        publisher: Text = None,
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """The issues of one series, in number order."""
        return send(catalog.issues(series, publisher, page), catalog.links, if_none_match)

    @get(f"{prefix}/recent", sync_to_thread=False)
    def recent(
        catalog: NamedDependency[Catalog],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.recent(page), catalog.links, if_none_match)

    @get(f"{prefix}/keep-reading", sync_to_thread=False)
    def keep_reading(
        catalog: NamedDependency[Catalog],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.keep_reading(page), catalog.links, if_none_match)

    @get(f"{prefix}/to-read", sync_to_thread=False)
    def to_read(
        catalog: NamedDependency[Catalog],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.to_read(page), catalog.links, if_none_match)

    @get(f"{prefix}/favorites", sync_to_thread=False)
    def favorites(
        catalog: NamedDependency[Catalog],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.favorites(page), catalog.links, if_none_match)

    @get(f"{prefix}/folder", sync_to_thread=False)
    def folder(
        catalog: NamedDependency[Catalog],
        path: Text = None,
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(catalog.folder(path, page), catalog.links, if_none_match)

    @get(f"{prefix}/search", sync_to_thread=False)
    def search(
        catalog: NamedDependency[Catalog],
        words: SearchWords = None,
        q: Text = None,
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(
            catalog.search(words if words is not None else q, page), catalog.links, if_none_match
        )

    return (publishers, series, issues, recent, keep_reading, to_read, favorites, folder, search)
