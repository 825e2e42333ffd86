"""One comic as an OPDS 2.0 publication: its metadata, its links (manifest, file, progression)
and its images, encoded once and kept by everything it shows (``EntryCache``)."""

from __future__ import annotations

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
    publication_date,
    readable,
    rfc3339,
)
from bagboard.adapters.http.opds.entry_cache import EntryCache
from bagboard.adapters.http.opds.media import (
    AUTH_DOCUMENT,
    AUTH_PATH,
    DIVINA,
    JPEG,
    OPDS2_PUBLICATION,
    PNG,
    PROGRESSION,
    READIUM_PROGRESSION,
    REL_ACQUISITION,
    REL_PROGRESSION,
    REL_READIUM_PROGRESSION,
    UNREADABLE_COVER_PATH,
)
from bagboard.adapters.http.opds.v2.hrefs import (
    encode,
    manifest_href,
    progression_href,
    publication_href,
)
from bagboard.domain.catalog import IndexedComic
from bagboard.services.issues import IssueDetail

__all__ = [
    "COMIC_ISSUE",
    "DIVINA_PROFILE",
    "encoded",
    "publication",
    "publication_links",
    "publication_metadata",
]

DIVINA_PROFILE: Final = "https://readium.org/webpub-manifest/profiles/divina"
COMIC_ISSUE: Final = "http://schema.org/ComicIssue"

_PUBLICATIONS: Final = EntryCache[msgspec.Raw]()


def _authenticate(links: Links) -> dict[str, Any]:
    """The hint that a link needs the catalog's login, so a reader need not find out by 401."""
    return {"authenticate": {"href": links.to(AUTH_PATH), "type": AUTH_DOCUMENT}}


def encoded(detail: IssueDetail, links: Links) -> msgspec.Raw:
    """A publication as JSON, kept (``EntryCache``) and embedded as it is in the feed."""
    return _PUBLICATIONS.get(links, detail, lambda: msgspec.Raw(encode(publication(detail, links))))


def publication(detail: IssueDetail, links: Links) -> dict[str, Any]:
    comic = detail.comic
    return {
        "metadata": publication_metadata(detail),
        "links": publication_links(comic, links),
        "images": _images(comic, links),
    }


def _images(comic: IndexedComic, links: Links) -> list[dict[str, Any]]:
    """The cover in two sizes; for an unreadable archive, whose cover would answer 422, the
    placeholder card instead (the publication schema wants at least one image)."""
    if not readable(comic):
        return [{"href": links.to(UNREADABLE_COVER_PATH), "type": PNG}]
    return [
        {"href": cover_href(links, comic.id, size), "type": JPEG}
        for size in (THUMBNAIL_SIZE, COVER_SIZE)
    ]


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
        published = publication_date(info.year)
        if published is not None:
            metadata["published"] = published
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
    progression draft's shape and in the Readium locator's.

    An unreadable archive has no manifest and no position to keep (both would answer 422):
    its ``self`` is the publication document, and the file is all it offers."""
    if not readable(comic):
        return [
            {"rel": "self", "href": publication_href(links, comic.id), "type": OPDS2_PUBLICATION},
            _acquisition(comic, links),
        ]
    # Literal dicts (nothing in them is ever blank): one set per publication of every page.
    return [
        {"rel": "self", "href": manifest_href(links, comic.id), "type": DIVINA},
        _acquisition(comic, links),
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


def _acquisition(comic: IndexedComic, links: Links) -> dict[str, Any]:
    return {
        "rel": REL_ACQUISITION,
        "href": file_href(links, comic),
        "type": comic_media_type(comic),
        "size": comic.size,
    }
