"""The catalog as OPDS 2.0 JSON: feeds and publications (``manifest.py``: an issue's DiViNa).

Everything is rendered from ``catalog.py``'s protocol-neutral ``Feed``, so OPDS 1.2 and 2.0
always list the same things. Readers resolve hrefs against whatever base they like (ComicCatcher
uses the profile's URL, not the document's), so every href is absolute. Blank values are left
out rather than sent empty: strict clients validate ``""`` and ``[]`` against the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import msgspec

from bagboard.adapters.http.api.issue_json import comic_media_type
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.entries import (
    COVER_SIZE,
    THUMBNAIL_SIZE,
    authors,
    cover_href,
    entry_updated,
    file_href,
    issue_title,
    rfc3339,
)
from bagboard.adapters.http.opds.entry_cache import EntryCache
from bagboard.adapters.http.opds.feed import ROOT, Feed, Group, NavEntry, Target
from bagboard.adapters.http.opds.media import (
    AUTH_DOCUMENT,
    AUTH_PATH,
    DIVINA,
    JPEG,
    OPDS2_FEED,
    PROGRESSION,
    READIUM_PROGRESSION,
    REL_ACQUISITION,
    REL_AUTH_DOCUMENT,
    REL_PROGRESSION,
    REL_READIUM_PROGRESSION,
    V2_PREFIX,
)
from bagboard.domain.catalog import IndexedComic
from bagboard.services.issues import IssueDetail

READIUM_CONTEXT: Final = "https://readium.org/webpub-manifest/context.jsonld"
DIVINA_PROFILE: Final = "https://readium.org/webpub-manifest/profiles/divina"
COMIC_ISSUE: Final = "http://schema.org/ComicIssue"
# The one template ComicCatcher (and others) expand, by plain string replacement.
SEARCH_TEMPLATE: Final = "{?query}"

_encoder = msgspec.json.Encoder()
_PUBLICATIONS: Final = EntryCache[msgspec.Raw]()


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


# --- where things are ----------------------------------------------------------------------


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


def _authlink(links: Links) -> dict[str, Any]:
    return link(links.to(AUTH_PATH), REL_AUTH_DOCUMENT, AUTH_DOCUMENT)


def _authenticate(links: Links) -> dict[str, Any]:
    """The hint that a link needs the catalog's login, so a reader need not find out by 401."""
    return {"authenticate": {"href": links.to(AUTH_PATH), "type": AUTH_DOCUMENT}}


# --- feeds -----------------------------------------------------------------------------------


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
        document["publications"] = [_encoded(detail, links) for detail in feed.publications]
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
        "publications": [_encoded(detail, links) for detail in group.publications],
    }


# --- publications ----------------------------------------------------------------------------


def _encoded(detail: IssueDetail, links: Links) -> msgspec.Raw:
    """A publication as JSON, kept (``EntryCache``) and embedded as it is in the feed."""
    return _PUBLICATIONS.get(
        links, detail, lambda: msgspec.Raw(_encoder.encode(publication(detail, links)))
    )


def publication(detail: IssueDetail, links: Links) -> dict[str, Any]:
    comic = detail.comic
    return {
        "metadata": publication_metadata(detail),
        "links": publication_links(comic, links),
        "images": [
            {"href": cover_href(links, comic.id, size), "type": JPEG}
            for size in (THUMBNAIL_SIZE, COVER_SIZE)
        ],
    }


def publication_metadata(detail: IssueDetail) -> dict[str, Any]:
    """Blank values are left out (built directly rather than pruned: one per entry of every
    feed page)."""
    comic = detail.comic
    info = comic.comic_info
    metadata: dict[str, Any] = {
        "@type": COMIC_ISSUE,
        "identifier": f"urn:bagboard:issue:{comic.id}",  # ``feed.urn``: an id needs no escape
    }
    title = issue_title(comic)
    if title:
        metadata["title"] = title
    names = authors(comic)
    if names:
        metadata["author"] = [{"name": name} for name in names]
    if info is not None:
        if info.publisher:
            metadata["publisher"] = [{"name": info.publisher}]
        if info.year:
            metadata["published"] = info.year
    metadata["modified"] = rfc3339(entry_updated(detail))
    if info is not None:
        if info.language_iso:
            metadata["language"] = info.language_iso
        if info.summary:
            metadata["description"] = info.summary
    if comic.page_count:
        metadata["numberOfPages"] = comic.page_count
    if info is not None and info.series:
        series: dict[str, Any] = {"name": info.series}
        position = _position(info.number)
        if position is not None:
            series["position"] = position
        metadata["belongsTo"] = {"series": [series]}
    metadata["conformsTo"] = DIVINA_PROFILE
    return metadata


def _position(number: str) -> float | int | str | None:
    """The issue number as a number where it is one (``1``, ``1.5``), else as written."""
    text = number.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):
        return text
    return int(value) if value.is_integer() else value


def publication_links(comic: IndexedComic, links: Links) -> list[dict[str, Any]]:
    """``self`` is the DiViNa manifest (what makes readers open the issue to read), then the
    file (``size``, not Atom's ``length``) and where the reading position lives, in the
    progression draft's shape and in the Readium locator's."""
    # Literal dicts (nothing in them is ever blank): one set per publication of every page.
    return [
        {"rel": "self", "href": manifest_href(links, comic.id), "type": DIVINA},
        {
            "rel": REL_ACQUISITION,
            "href": file_href(links, comic),
            "type": comic_media_type(comic),
            "size": comic.size,
        },
        {
            "rel": REL_PROGRESSION,
            "href": progression_href(links, comic.id),
            "type": PROGRESSION,
            "properties": _authenticate(links),
        },
        # The same position as a Readium locator, for readers that know only that rel. It comes
        # after the draft's link: readers that know both (ComicCatcher) take the first.
        {
            "rel": REL_READIUM_PROGRESSION,
            "href": progression_href(links, comic.id) + "/readium",
            "type": READIUM_PROGRESSION,
            "properties": _authenticate(links),
        },
    ]
