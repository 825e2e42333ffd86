"""A catalog ``Feed`` as OPDS 1.2: an Atom document with the page streaming extension.

The document is written directly as escaped strings rather than through ElementTree: a feed
page of fifty entries holds about a thousand elements and attributes, and ElementTree's
Python-level serialiser cost more than everything else of the request together. What it
guaranteed is kept here: every namespace is declared on ``<feed>`` under a fixed prefix
(``pse`` above all: older KOReader and other readers look for ``pse:count`` by that literal
name), every ``&``, ``<``, ``>`` and quote of text and attributes is escaped, and what XML 1.0
cannot hold is replaced (``_escape``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Final

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
    publication_date,
    readable,
    rfc3339,
)
from bagboard.adapters.http.opds.entry_cache import EntryCache
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
from bagboard.adapters.http.opds.v1.xml_text import (
    escape_attribute,
    escape_text,
    link_element,
    text_element,
)
from bagboard.services.issues import IssueDetail

__all__ = [
    "AUTHOR",
    "NAMESPACES",
    "OPENSEARCH_NS",
    "OPENSEARCH_PATH",
    "PSE_TAIL",
    "ROUTE_KINDS",
    "SEARCH_PATH",
    "atom_type",
    "feed_url",
    "render_feed",
    "render_opensearch",
]


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
    "readlists": Kind.NAVIGATION,
    "arcs": Kind.NAVIGATION,
    "on-deck": Kind.ACQUISITION,
}

_DECLARATION: Final = "<?xml version='1.0' encoding='utf-8'?>\n"
_FEED_OPEN: Final = "<feed" + "".join(f' {name}="{uri}"' for name, uri in NAMESPACES.items()) + ">"


def atom_type(kind: Kind) -> str:
    return ATOM_NAVIGATION if kind is Kind.NAVIGATION else ATOM_ACQUISITION


def feed_url(links: Links, target: Target) -> str:
    return links.to(f"{V1_PREFIX}/{target.route}", dict(target.query))


# The end of the stream link: ``{pageNumber}`` and ``{maxWidth}`` are for the reader to fill
# in, so they are written as they are (``Links.to`` would escape the braces of a query value).
PSE_TAIL: Final = "{pageNumber}?width={maxWidth}&track=1"
# Escaped once for all, as it would be in every entry's attribute.
_PSE_TAIL_ATTRIBUTE: Final = PSE_TAIL.replace("&", "&amp;")
_ENTRIES: Final = EntryCache[bytes]()
# Feed heads by all they show (ids, titles, links, paging): a page asked for again reuses its.
_HEADS: Final[dict[Hashable, str]] = {}
_HEADS_KEPT: Final = 4096


def _head(feed: Feed, links: Links) -> str:
    """Everything before the entries: the same for every request of the same page."""
    out = [_DECLARATION, _FEED_OPEN]
    updated = rfc3339(feed.updated)
    text_element(out, "id", feed.id)
    text_element(out, "title", feed.title)
    text_element(out, "updated", updated)
    out.append("<author>")
    text_element(out, "name", AUTHOR)
    text_element(out, "uri", links.to(f"{V1_PREFIX}/catalog"))
    out.append("</author>")
    own_type = atom_type(feed.kind)
    paging = feed.paging
    self_target = feed.target.with_page(paging.number) if paging is not None else feed.target
    link_element(out, "self", feed_url(links, self_target), own_type)
    link_element(out, "start", feed_url(links, ROOT), ATOM_NAVIGATION)
    if feed.up is not None:
        up_kind = feed.up_kind or ROUTE_KINDS[feed.up.route]
        link_element(out, "up", feed_url(links, feed.up), atom_type(up_kind))
    link_element(out, "search", links.to(OPENSEARCH_PATH), OPENSEARCH, title="Search")
    link_element(out, REL_AUTH_DOCUMENT, links.to(AUTH_PATH), AUTH_DOCUMENT)
    if paging is not None:
        pages = {"first": 1, "last": paging.last}
        if paging.number > 1:
            pages["previous"] = min(paging.number - 1, paging.last)
        if paging.number < paging.last:
            pages["next"] = paging.number + 1
        for rel, number in pages.items():
            link_element(out, rel, feed_url(links, feed.target.with_page(number)), own_type)
        text_element(out, "opensearch:totalResults", str(paging.total))
        text_element(out, "opensearch:itemsPerPage", str(paging.size))
        text_element(out, "opensearch:startIndex", str(paging.start_index))
    return "".join(out)


def render_feed(feed: Feed, links: Links) -> bytes:
    key = (
        links.base,
        feed.id,
        feed.title,
        feed.target,
        feed.kind,
        feed.updated,
        feed.paging,
        feed.up,
        feed.up_kind,
    )
    head = _HEADS.get(key)
    if head is None:
        head = _head(feed, links)
        if len(_HEADS) >= _HEADS_KEPT:
            _HEADS.clear()  # bounded and simple, as ``EntryCache``
        _HEADS[key] = head
    out = [head]
    updated = rfc3339(feed.updated)
    for entry in feed.navigation:
        _navigation_entry(out, entry, updated, links)
    # Entries are kept encoded; those of one series share its link, made once per document.
    document, collections = ["".join(out).encode()], dict[tuple[str, str], str]()
    for detail in feed.publications:
        document.append(_publication_entry(detail, links, collections))
    document.append(b"</feed>")
    return b"".join(document)


def render_opensearch(links: Links) -> bytes:
    """The OpenSearch description: an absolute template, since some readers resolve it
    against the feed they came from rather than against this document."""
    out = [_DECLARATION, f'<OpenSearchDescription xmlns="{OPENSEARCH_NS}">']
    text_element(out, "ShortName", "bagboard")
    text_element(out, "Description", "Search comics by title, series, writer or publisher")
    text_element(out, "InputEncoding", "UTF-8")
    text_element(out, "OutputEncoding", "UTF-8")
    template = links.to(SEARCH_PATH) + "?q={searchTerms}"
    out.append(f'<Url type="{ATOM_ACQUISITION}" template="{escape_attribute(template)}" />')
    out.append("</OpenSearchDescription>")
    return "".join(out).encode()


def _navigation_entry(out: list[str], entry: NavEntry, updated: str, links: Links) -> None:
    out.append("<entry>")
    text_element(out, "title", entry.title)
    text_element(out, "id", entry.id)
    text_element(out, "updated", updated)
    # Atom wants content (or an alternate link) in an entry; readers show it as a subtitle.
    out.append(f'<content type="text">{escape_text(entry.summary or entry.title)}</content>')
    link_element(out, entry.rel, feed_url(links, entry.target), atom_type(entry.kind))
    if entry.cover_id is not None:
        # As publications show theirs: readers draw the list's tile with its first cover.
        for rel, size in ((REL_IMAGE, COVER_SIZE), (REL_THUMBNAIL, THUMBNAIL_SIZE)):
            link_element(out, rel, cover_href(links, entry.cover_id, size), JPEG)
    out.append("</entry>")


def _publication_entry(
    detail: IssueDetail, links: Links, collections: dict[tuple[str, str], str]
) -> bytes:
    return _ENTRIES.get(links, detail, lambda: _render_entry(detail, links, collections).encode())


def _render_entry(
    detail: IssueDetail, links: Links, collections: dict[tuple[str, str], str]
) -> str:
    # Written in few, large pieces: this runs fifty times for each feed page. ``rel`` and
    # ``type`` values are constants; hrefs and text are escaped.
    out: list[str] = []
    comic, progress = detail.comic, detail.progress
    comic_id = comic.id
    info = comic.comic_info
    title = escape_text(issue_title(comic))
    out.append(
        f"<entry><title>{title}</title>"
        f"<id>urn:bagboard:issue:{comic_id}</id>"
        f"<updated>{rfc3339(entry_updated(detail))}</updated>"
    )
    for name in authors(comic):
        out.append(f"<author><name>{escape_text(name)}</name></author>")
    if info is not None:
        issued = publication_date(info.year)
        if issued is not None:
            # The same full date OPDS 2 sends as ``published`` (``entries.publication_date``).
            out.append(f"<dcterms:issued>{issued}</dcterms:issued>")
        if info.publisher:
            out.append(f"<dcterms:publisher>{escape_text(info.publisher)}</dcterms:publisher>")
        if info.language_iso:
            out.append(f"<dcterms:language>{escape_text(info.language_iso)}</dcterms:language>")
        if info.summary:
            out.append(f'<summary type="text">{escape_text(info.summary)}</summary>')
    # Atom (RFC 4287 §4.1.2) wants content or an alternate link in every entry: the summary,
    # else the title line, as navigation entries do.
    description = escape_text(info.summary) if info is not None and info.summary else title
    out.append(f'<content type="text">{description}</content>')
    # An unreadable archive offers its file only: its cover and pages would answer 422.
    can_read = readable(comic)
    if can_read:
        image = escape_attribute(cover_href(links, comic_id, COVER_SIZE))
        thumbnail = escape_attribute(cover_href(links, comic_id, THUMBNAIL_SIZE))
        out.append(
            f'<link rel="{REL_IMAGE}" href="{image}" type="{JPEG}" />'
            f'<link rel="{REL_THUMBNAIL}" href="{thumbnail}" type="{JPEG}" />'
        )
    out.append(
        f'<link rel="{REL_ACQUISITION}" href="{escape_attribute(file_href(links, comic))}" '
        f'type="{comic_media_type(comic)}" length="{comic.size}" />'
    )
    if can_read and comic.page_count > 0:
        stream = f'pse:count="{comic.page_count}"'
        if progress is not None and progress.page_number > 0:
            # 1-based, as PSE 1.1 counts it (the stream template counts from 0).
            last = min(progress.page_number, comic.page_count)
            stream += f' pse:lastRead="{last}" pse:lastReadDate="{rfc3339(progress.updated_at)}"'
        stream_base = links.to(f"{V1_PREFIX}/issue/{comic_id}/pse/")
        href = escape_attribute(stream_base) + _PSE_TAIL_ATTRIBUTE
        out.append(f'<link rel="{REL_PSE_STREAM}" href="{href}" type="{JPEG}" {stream} />')
    if info is not None and info.series:
        key = (info.series, info.publisher)
        collection = collections.get(key)
        if collection is None:
            query: tuple[tuple[str, str], ...] = (("series", info.series),)
            if info.publisher:
                query += (("publisher", info.publisher),)
            href = escape_attribute(feed_url(links, Target("issues", query)))
            collection = collections[key] = (
                f'<link rel="collection" href="{href}" type="{ATOM_ACQUISITION}" '
                f'title="{escape_attribute(info.series)}" />'
            )
        out.append(collection)
    out.append("</entry>")
    return "".join(out)
