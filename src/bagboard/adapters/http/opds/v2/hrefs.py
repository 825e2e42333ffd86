"""Where OPDS 2.0 documents point: absolute hrefs of feeds, manifests, progressions and
pages, the link objects that carry them, and the JSON encoder every document goes through."""

from __future__ import annotations

from typing import Any, Final

import msgspec

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.feed import Target
from bagboard.adapters.http.opds.media import V2_PREFIX

__all__ = [
    "READIUM_CONTEXT",
    "SEARCH_TEMPLATE",
    "encode",
    "feed_href",
    "link",
    "manifest_href",
    "page_href",
    "progression_href",
    "publication_href",
]

READIUM_CONTEXT: Final = "https://readium.org/webpub-manifest/context.jsonld"
# The one template ComicCatcher (and others) expand, by plain string replacement.
SEARCH_TEMPLATE: Final = "{?query}"

_encoder = msgspec.json.Encoder()


def encode(document: dict[str, Any]) -> bytes:
    return _encoder.encode(document)


def _pruned(mapping: dict[str, Any]) -> dict[str, Any]:
    # Truth first: most values are non-empty, and ``in (None, "", [], {})`` compares each with
    # four. What is falsy yet kept: numbers (``0`` items) and ``False``.
    return {
        key: value
        for key, value in mapping.items()
        if value or (value is not None and not isinstance(value, str | list | dict))
    }


def feed_href(links: Links, target: Target) -> str:
    """A catalog feed's URL under ``/opds/v2.0``. The catalog names the search query ``q``
    (OPDS 1.2's OpenSearch habit); OPDS 2 readers expand ``{?query}``, so it is sent so."""
    query = {
        ("query" if target.route == "search" and key == "q" else key): value
        for key, value in target.query
    }
    return links.to(f"{V2_PREFIX}/{target.route}", query)


def manifest_href(links: Links, comic_id: int) -> str:
    return links.to(f"{V2_PREFIX}/issue/{comic_id}/manifest")


def publication_href(links: Links, comic_id: int) -> str:
    return links.to(f"{V2_PREFIX}/issue/{comic_id}")


def progression_href(links: Links, comic_id: int) -> str:
    return links.to(f"{V2_PREFIX}/issue/{comic_id}/progression")


def page_href(links: Links, comic_id: int, number: int, size: int | None = None) -> str:
    """A page of ``/api/v1`` (1-based): the readers' page route, shared by every protocol."""
    return links.to(f"/api/v1/issue/{comic_id}/page/{number}", {"size": size} if size else None)


def link(href: str, rel: str | None, media_type: str, **extra: Any) -> dict[str, Any]:
    # Built key by key: a publication holds five links, a feed page fifty publications.
    link: dict[str, Any] = {"rel": rel} if rel else {}
    link["href"] = href
    link["type"] = media_type
    if extra:
        link.update(_pruned(extra))
    return link
