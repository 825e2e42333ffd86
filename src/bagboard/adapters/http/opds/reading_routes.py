"""The routes of the reading-order feeds (``reading_feeds.py``), made once for each OPDS
version as ``feed_routes`` makes the others: the same routes below either prefix, rendered
by the version's ``Send``. Each reads the index only, so it runs on the event loop."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from bagboard.adapters.http.api.params import PageParam
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.opds.feed_routes import Send
from bagboard.adapters.http.opds.reading_feeds import (
    ARCS_ROUTE,
    LISTS_ROUTE,
    ON_DECK_ROUTE,
    ReadingFeeds,
)
from bagboard.adapters.http.routing import get

__all__ = ["reading_routes"]


def reading_routes(prefix: str, send: Send) -> tuple[HTTPRouteHandler, ...]:
    """Lists, arcs and on deck below ``prefix`` (relative to the ``/opds`` router)."""

    @get(f"{prefix}/{LISTS_ROUTE}", sync_to_thread=False)
    def reading_lists(
        reading_feeds: NamedDependency[ReadingFeeds],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(reading_feeds.reading_lists(page), reading_feeds.links, if_none_match)

    @get(f"{prefix}/{LISTS_ROUTE}/{{list_id:str}}", sync_to_thread=False)
    def reading_list(
        reading_feeds: NamedDependency[ReadingFeeds],
        list_id: FromPath[str],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """One list's comics in list order, each once."""
        feed = reading_feeds.reading_list(list_id, page)
        return send(feed, reading_feeds.links, if_none_match)

    @get(f"{prefix}/{ARCS_ROUTE}", sync_to_thread=False)
    def story_arcs(
        reading_feeds: NamedDependency[ReadingFeeds],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(reading_feeds.story_arcs(page), reading_feeds.links, if_none_match)

    @get(f"{prefix}/{ARCS_ROUTE}/{{arc_id:str}}", sync_to_thread=False)
    def story_arc(
        reading_feeds: NamedDependency[ReadingFeeds],
        arc_id: FromPath[str],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        """One arc's comics in reading order."""
        feed = reading_feeds.story_arc(arc_id, page)
        return send(feed, reading_feeds.links, if_none_match)

    @get(f"{prefix}/{ON_DECK_ROUTE}", sync_to_thread=False)
    def on_deck(
        reading_feeds: NamedDependency[ReadingFeeds],
        page: PageParam = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return send(reading_feeds.on_deck(page), reading_feeds.links, if_none_match)

    return (reading_lists, reading_list, story_arcs, story_arc, on_deck)
