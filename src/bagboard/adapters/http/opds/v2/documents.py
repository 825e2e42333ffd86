"""The catalog as OPDS 2.0 JSON feeds (``publications.py``: one comic in them; ``manifest.py``:
an issue's DiViNa; ``hrefs.py``: where they point).

Everything is rendered from ``catalog.py``'s protocol-neutral ``Feed``, so OPDS 1.2 and 2.0
always list the same things. Readers resolve hrefs against whatever base they like (ComicCatcher
uses the profile's URL, not the document's), so every href is absolute. Blank values are left
out rather than sent empty: strict clients validate ``""`` and ``[]`` against the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.entries import (
    rfc3339,
)
from bagboard.adapters.http.opds.feed import ROOT, Feed, Group, NavEntry
from bagboard.adapters.http.opds.media import (
    AUTH_DOCUMENT,
    AUTH_PATH,
    OPDS2_FEED,
    REL_AUTH_DOCUMENT,
    V2_PREFIX,
)
from bagboard.adapters.http.opds.v2.hrefs import SEARCH_TEMPLATE, feed_href, link
from bagboard.adapters.http.opds.v2.publications import encoded

__all__ = ["feed_document"]


def _authlink(links: Links) -> dict[str, Any]:
    return link(links.to(AUTH_PATH), REL_AUTH_DOCUMENT, AUTH_DOCUMENT)


def feed_document(feed: Feed, links: Links, groups: Sequence[Group] = ()) -> dict[str, Any]:
    """A feed: ``metadata`` with counts, ``links`` (always present, even for readers that need
    none of them: ComicCatcher refuses a feed without), then what the feed holds."""
    paging = feed.paging
    shown = len(feed.navigation) + len(feed.publications)
    metadata: dict[str, Any] = {
        "title": feed.title,
        "numberOfItems": paging.total if paging is not None else shown,
        "itemsPerPage": paging.size if paging is not None else shown,
        "currentPage": paging.number if paging is not None else 1,
        "modified": rfc3339(feed.updated),
    }
    document: dict[str, Any] = {"metadata": metadata, "links": _feed_links(feed, links)}
    if feed.navigation:
        document["navigation"] = [_navigation(entry, links) for entry in feed.navigation]
    # A group holds at least one publication (the feed schema's rule): an empty row is left out.
    rows = [group for group in groups if group.publications]
    if rows:
        document["groups"] = [_group(group, links) for group in rows]
    if feed.publications or not (feed.navigation or rows):
        # A feed needs one collection; an empty list says "nothing here" in the usual one.
        document["publications"] = [encoded(detail, links) for detail in feed.publications]
    return document


def _feed_links(feed: Feed, links: Links) -> list[dict[str, Any]]:
    paging = feed.paging
    # The catalog's target names the feed; ``self`` is this page of it.
    here = feed.target.with_page(paging.number) if paging is not None else feed.target
    result = [
        link(feed_href(links, here), "self", OPDS2_FEED),
        link(feed_href(links, ROOT), "start", OPDS2_FEED),
    ]
    if feed.up is not None:
        result.append(link(feed_href(links, feed.up), "up", OPDS2_FEED))
    result.append(
        link(
            links.to(f"{V2_PREFIX}/search") + SEARCH_TEMPLATE,
            "search",
            OPDS2_FEED,
            templated=True,
        )
    )
    result.append(_authlink(links))
    if paging is not None and paging.last > 1:
        pages = [("first", 1), ("last", paging.last)]
        if paging.number > 1:
            pages.append(("previous", min(paging.number - 1, paging.last)))
        if paging.number < paging.last:
            pages.append(("next", paging.number + 1))
        for rel, number in pages:
            result.append(link(feed_href(links, feed.target.with_page(number)), rel, OPDS2_FEED))
    return result


def _navigation(entry: NavEntry, links: Links) -> dict[str, Any]:
    properties = {"numberOfItems": entry.count} if entry.count is not None else None
    return link(
        feed_href(links, entry.target),
        entry.rel,
        OPDS2_FEED,
        title=entry.title,
        properties=properties,
    )


def _group(group: Group, links: Links) -> dict[str, Any]:
    """A row of the start page; its ``self`` link is the "see all" feed."""
    return {
        "metadata": {"title": group.title, "numberOfItems": len(group.publications)},
        "links": [link(feed_href(links, group.target), "self", OPDS2_FEED, title=group.title)],
        "publications": [encoded(detail, links) for detail in group.publications],
    }
