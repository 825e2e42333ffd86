"""A catalog ``Feed`` as OPDS 1.2: an Atom document with the page streaming extension.

The namespaces are declared on ``<feed>`` under fixed prefixes (``pse`` above all: older
KOReader and other readers look for ``pse:count`` by that literal name), so the elements are
written with those prefixes rather than through ElementTree's namespace registry, which is
global and would invent ``ns0`` prefixes for anything it was not told about. ElementTree
escapes every ``&``, ``<`` and quote; text is cleaned of what XML 1.0 cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final
from xml.etree.ElementTree import Element, SubElement, tostring

from bagboard.adapters.http.issue_json import comic_media_type
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
from bagboard.adapters.http.opds.feed import ROOT, Feed, Kind, NavEntry, Target
from bagboard.adapters.http.opds.media import (
    ATOM_ACQUISITION,
    ATOM_NAVIGATION,
    AUTH_DOCUMENT,
    AUTH_PATH,
    JPEG,
    OPENSEARCH,
    REL_ACQUISITION,
    REL_AUTH_DOCUMENT,
    REL_IMAGE,
    REL_PSE_STREAM,
    REL_THUMBNAIL,
    V1_PREFIX,
)
from bagboard.domain.issues import IssueDetail

NAMESPACES: Final = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns:opds": "http://opds-spec.org/2010/catalog",
    "xmlns:dcterms": "http://purl.org/dc/terms/",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "xmlns:pse": "http://vaemendis.net/opds-pse/ns",
}
OPENSEARCH_NS: Final = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH_PATH: Final = f"{V1_PREFIX}/opensearch.xml"
SEARCH_PATH: Final = f"{V1_PREFIX}/search"
AUTHOR: Final = "bagboard"

# Which kind of feed each route serves: what a link to it says in its ``type``.
ROUTE_KINDS: Final[Mapping[str, Kind]] = {
    "catalog": Kind.NAVIGATION,
    "publishers": Kind.NAVIGATION,
    "series": Kind.NAVIGATION,
    "favorites": Kind.NAVIGATION,
    "issues": Kind.ACQUISITION,
    "recent": Kind.ACQUISITION,
    "keep-reading": Kind.ACQUISITION,
    "to-read": Kind.ACQUISITION,
    "folder": Kind.ACQUISITION,
    "search": Kind.ACQUISITION,
}

# XML 1.0 cannot carry most control characters nor lone surrogates (file names that are not
# UTF-8 come to Python as surrogate escapes): they become U+FFFD rather than a broken document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def atom_type(kind: Kind) -> str:
    return ATOM_NAVIGATION if kind is Kind.NAVIGATION else ATOM_ACQUISITION


def feed_url(links: Links, target: Target) -> str:
    return links.to(f"{V1_PREFIX}/{target.route}", dict(target.query))


def pse_template(links: Links, comic_id: int) -> str:
    """The stream link: ``{pageNumber}`` and ``{maxWidth}`` are for the reader to fill in, so
    they are written as they are (``Links.to`` would escape the braces of a query value)."""
    return links.to(f"{V1_PREFIX}/issue/{comic_id}/pse/") + "{pageNumber}?width={maxWidth}&track=1"


def render_feed(feed: Feed, links: Links) -> bytes:
    root = Element("feed", NAMESPACES)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    updated = rfc3339(feed.updated)
    _text(root, "updated", updated)
    author = SubElement(root, "author")
    _text(author, "name", AUTHOR)
    _text(author, "uri", links.to(f"{V1_PREFIX}/catalog"))
    own_type = atom_type(feed.kind)
    paging = feed.paging
    self_target = feed.target.with_page(paging.number) if paging is not None else feed.target
    _link(root, "self", feed_url(links, self_target), own_type)
    _link(root, "start", feed_url(links, ROOT), ATOM_NAVIGATION)
    if feed.up is not None:
        _link(root, "up", feed_url(links, feed.up), atom_type(ROUTE_KINDS[feed.up.route]))
    _link(root, "search", links.to(OPENSEARCH_PATH), OPENSEARCH, title="Search")
    _link(root, REL_AUTH_DOCUMENT, links.to(AUTH_PATH), AUTH_DOCUMENT)
    if paging is not None:
        pages = {"first": 1, "last": paging.last}
        if paging.number > 1:
            pages["previous"] = min(paging.number - 1, paging.last)
        if paging.number < paging.last:
            pages["next"] = paging.number + 1
        for rel, number in pages.items():
            _link(root, rel, feed_url(links, feed.target.with_page(number)), own_type)
        _text(root, "opensearch:totalResults", str(paging.total))
        _text(root, "opensearch:itemsPerPage", str(paging.size))
        _text(root, "opensearch:startIndex", str(paging.start_index))
    for entry in feed.navigation:
        _navigation_entry(root, entry, updated, links)
    for detail in feed.publications:
        _publication_entry(root, detail, links)
    return _document(root)


def render_opensearch(links: Links) -> bytes:
    """The OpenSearch description: an absolute template, since some readers resolve it
    against the feed they came from rather than against this document."""
    root = Element("OpenSearchDescription", {"xmlns": OPENSEARCH_NS})
    _text(root, "ShortName", "bagboard")
    _text(root, "Description", "Search comics by title, series, writer or publisher")
    _text(root, "InputEncoding", "UTF-8")
    _text(root, "OutputEncoding", "UTF-8")
    template = links.to(SEARCH_PATH) + "?q={searchTerms}"
    SubElement(root, "Url", {"type": ATOM_ACQUISITION, "template": template})
    return _document(root)


def _navigation_entry(root: Element, entry: NavEntry, updated: str, links: Links) -> None:
    element = SubElement(root, "entry")
    _text(element, "title", entry.title)
    _text(element, "id", entry.id)
    _text(element, "updated", updated)
    # Atom wants content (or an alternate link) in an entry; readers show it as a subtitle.
    _text(element, "content", entry.summary or entry.title, type="text")
    _link(element, entry.rel, feed_url(links, entry.target), atom_type(entry.kind))


def _publication_entry(root: Element, detail: IssueDetail, links: Links) -> None:
    comic, progress = detail.comic, detail.progress
    info = comic.comic_info
    element = SubElement(root, "entry")
    _text(element, "title", issue_title(comic))
    _text(element, "id", f"urn:bagboard:issue:{comic.id}")
    _text(element, "updated", rfc3339(entry_updated(detail)))
    for name in authors(comic):
        _text(SubElement(element, "author"), "name", name)
    if info is not None:
        for tag, value in (
            ("dcterms:issued", info.year),
            ("dcterms:publisher", info.publisher),
            ("dcterms:language", info.language_iso),
        ):
            if value:
                _text(element, tag, value)
        if info.summary:
            _text(element, "summary", info.summary, type="text")
    _link(element, REL_IMAGE, cover_href(links, comic.id, COVER_SIZE), JPEG)
    _link(element, REL_THUMBNAIL, cover_href(links, comic.id, THUMBNAIL_SIZE), JPEG)
    _link(
        element,
        REL_ACQUISITION,
        file_href(links, comic),
        comic_media_type(comic),
        length=str(comic.size),
    )
    if comic.page_count > 0:
        stream = {"pse:count": str(comic.page_count)}
        if progress is not None and progress.page_number > 0:
            # 1-based, as PSE 1.1 counts it (the stream template counts from 0).
            stream["pse:lastRead"] = str(min(progress.page_number, comic.page_count))
            stream["pse:lastReadDate"] = rfc3339(progress.updated_at)
        _link(element, REL_PSE_STREAM, pse_template(links, comic.id), JPEG, **stream)
    if info is not None and info.series:
        query: tuple[tuple[str, str], ...] = (("series", info.series),)
        if info.publisher:
            query += (("publisher", info.publisher),)
        series = Target("issues", query)
        _link(element, "collection", feed_url(links, series), ATOM_ACQUISITION, title=info.series)


def _text(parent: Element, tag: str, value: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, attributes)
    element.text = _NOT_XML.sub("\ufffd", value)
    return element


def _link(parent: Element, rel: str, href: str, media_type: str, **attributes: str) -> None:
    clean = {key: _NOT_XML.sub("\ufffd", value) for key, value in attributes.items()}
    SubElement(parent, "link", {"rel": rel, "href": href, "type": media_type, **clean})


def _document(root: Element) -> bytes:
    body: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return body
