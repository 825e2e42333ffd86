"""Which image a request names: a cover or a page, at which size, with the key whose ETag
answers a revalidation. Nothing here reads anything: the page list comes from the caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.images import (
    COVER,
    ORIGINAL,
    FileStamp,
    PageInfo,
    RenditionKey,
    parse_id,
    requested_size,
    snapped_size,
    stream_size,
)

__all__ = ["RenditionTarget", "cover_target", "page_target", "stream_target"]


@dataclass(frozen=True, slots=True)
class RenditionTarget:
    """What one image request resolved to: the key (enough to answer a revalidation without
    reading anything more), the comic it was resolved from, and its page list when the request
    named a page. The render step takes it as it is, so nothing is looked up twice."""

    key: RenditionKey
    comic: IndexedComic
    pages: tuple[PageInfo, ...] = ()

    @property
    def etag(self) -> str:
        return self.key.etag


def _text(raw: str | int | None) -> str | None:
    return None if raw is None else str(raw)


# Page numbers and sizes come as URL text from the server and as ints from Python callers;
# both are read by the same rules.


def cover_target(comic: IndexedComic, raw_size: str | int | None) -> RenditionTarget:
    """The cover at what ``?size=`` asks for, snapped; a non-integer size is ``InvalidInput``."""
    size = snapped_size(requested_size(_text(raw_size)))
    return RenditionTarget(RenditionKey(comic.id, FileStamp.of(comic), COVER, size), comic)


def page_target(
    comic: IndexedComic,
    page_list: Callable[[], tuple[PageInfo, ...]],
    raw_number: str | int,
    raw_size: str | int | None,
) -> RenditionTarget:
    """Page ``raw_number`` (from 1) at ``raw_size`` (``ORIGINAL`` without one), the size
    checked before ``page_list`` is asked; out of range or not an integer is ``NotFound``."""
    text = _text(raw_size)
    size = None if text is None or not text.strip() else requested_size(text)
    pages = page_list()
    number = parse_id(str(raw_number))
    if number is None or not 1 <= number <= len(pages):
        raise NotFound("no such page")
    snapped = ORIGINAL if size is None else snapped_size(size)
    key = RenditionKey(comic.id, FileStamp.of(comic), number, snapped)
    return RenditionTarget(key, comic, pages)


def stream_target(
    comic: IndexedComic,
    pages: tuple[PageInfo, ...],
    raw_index: str | int,
    raw_width: str | int | None,
) -> RenditionTarget:
    """Page ``raw_index`` counted from **0** (as OPDS page streaming counts) as a JPEG at most
    ``raw_width`` wide (see ``images.stream_size``). Out of range or not an integer is
    ``NotFound``."""
    index = parse_id(str(raw_index))
    if index is None or index >= len(pages):
        raise NotFound("no such page")
    page = pages[index]
    size = stream_size(page, raw_width)
    key = RenditionKey(comic.id, FileStamp.of(comic), page.number, size)
    return RenditionTarget(key, comic, pages)
