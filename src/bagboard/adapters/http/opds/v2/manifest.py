"""The DiViNa manifest of an issue: its publication metadata and one item per page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.media import JPEG
from bagboard.adapters.http.opds.v2.hrefs import READIUM_CONTEXT, link, page_href
from bagboard.adapters.http.opds.v2.publications import publication_links, publication_metadata
from bagboard.domain.images import MAX_SIZE, MIN_SIZE, PageInfo, snapped_size
from bagboard.services.issues import IssueDetail

__all__ = ["jpeg_dimensions", "manifest"]

# Page types every DiViNa reader shows; any other page also gets a JPEG alternate.
DISPLAYABLE: Final = frozenset({"image/jpeg", "image/png", "image/gif"})
# ComicInfo's value for manga read right to left (case varies between taggers).
MANGA_RTL: Final = "yesandrighttoleft"


def manifest(detail: IssueDetail, pages: Iterable[PageInfo], links: Links) -> dict[str, Any]:
    """The issue as a DiViNa publication: one ``readingOrder`` item per page, in order."""
    comic = detail.comic
    metadata = publication_metadata(detail)
    info = comic.comic_info
    if info is not None and info.manga.strip().casefold() == MANGA_RTL:
        metadata["readingProgression"] = "rtl"
    return {
        "@context": READIUM_CONTEXT,
        "metadata": metadata,
        "links": publication_links(comic, links),
        "readingOrder": [_page(comic.id, page, links) for page in pages],
    }


def _page(comic_id: int, page: PageInfo, links: Links) -> dict[str, Any]:
    item = link(
        page_href(links, comic_id, page.number),
        None,
        page.media_type,
        width=page.width or None,
        height=page.height or None,
    )
    if page.media_type not in DISPLAYABLE:
        # WebP, AVIF, JXL...: a JPEG of the same page, for readers that cannot show the original.
        long_edge = max(page.width, page.height)
        width, height = jpeg_dimensions(page.width, page.height)
        item["alternate"] = [
            link(
                page_href(links, comic_id, page.number, long_edge or MAX_SIZE),
                None,
                JPEG,
                width=width or None,
                height=height or None,
            )
        ]
    return item


def jpeg_dimensions(width: int, height: int) -> tuple[int, int]:
    """What ``/api/v1/issue/<id>/page/<n>?size=<long edge>`` sends back: the size is clamped
    and snapped down to a cached one, and a page is only ever shrunk, never enlarged."""
    long_edge = max(width, height)
    if long_edge <= 0:
        return 0, 0
    edge = snapped_size(max(MIN_SIZE, min(MAX_SIZE, long_edge)))
    if edge >= long_edge:
        return width, height
    scale = edge / long_edge
    return max(1, round(width * scale)), max(1, round(height * scale))
