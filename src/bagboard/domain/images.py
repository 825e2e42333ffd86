"""Covers and page images: requested sizes, rendition keys, page descriptions (contract §5).

A rendition is a JPEG made from one page of one version of a comic file at one size. Sizes
are snapped down to a short list so a cache of renditions stays bounded whatever clients ask,
and the long edge never exceeds what was asked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from hashlib import blake2b
from typing import Final

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import InvalidInput

__all__ = [
    "COVER",
    "DEFAULT_COVER_SIZE",
    "JPEG",
    "MAX_COMIC_ID",
    "MAX_SIZE",
    "MAX_STREAM_WIDTH",
    "MIN_SIZE",
    "MIN_STREAM_WIDTH",
    "ORIGINAL",
    "PAGE_MEDIA_TYPES",
    "RENDER_VERSION",
    "SNAP_SIZES",
    "FileStamp",
    "ImageInfo",
    "PageInfo",
    "Rendition",
    "RenditionKey",
    "media_type_for_name",
    "parse_id",
    "requested_size",
    "snapped_size",
    "stream_size",
    "stream_width",
]

DEFAULT_COVER_SIZE = 400
MIN_SIZE = 64
MAX_SIZE = 2000
SNAP_SIZES = (64, 96, 128, 160, 200, 256, 320, 400, 480, 600, 800, 1000, 1200, 1600, 2000)
# Bump when the rendering changes, so cached renditions and client ETags are renewed.
RENDER_VERSION = 1

_INTEGER = re.compile(r"^\s*([+-]?)0*([0-9]{1,9}|[0-9]+)\s*$")


def requested_size(raw: str | None, default: int = DEFAULT_COVER_SIZE) -> int:
    """A ``?size=`` value: any integer, clamped to 64..2000 (a number too long to be a size
    is taken as far out of range, without converting it); ``default`` when missing or blank."""
    if raw is None or not raw.strip():
        return default
    match = _INTEGER.match(raw)
    if match is None:
        raise InvalidInput("size must be an integer")
    sign, digits = match.groups()
    if len(digits) > 9:
        return MIN_SIZE if sign == "-" else MAX_SIZE
    return max(MIN_SIZE, min(MAX_SIZE, int(sign + digits)))


def snapped_size(size: int) -> int:
    """The largest cached size not above ``size`` (so the long edge stays ≤ what was asked)."""
    return SNAP_SIZES[max(0, bisect_right(SNAP_SIZES, size) - 1)]


# The largest comic id a store holds (PostgreSQL's INTEGER); a larger one names no comic.
MAX_COMIC_ID = 2**31 - 1


def parse_id(raw: str) -> int | None:
    """A comic id from a URL: plain decimal digits only, else None (answered as not found)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    value = int(raw)
    return value if value <= MAX_COMIC_ID else None


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Which version of a comic file something was made from: its size and modification time."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, comic: IndexedComic) -> FileStamp:
        return cls(comic.size, comic.mtime_ns)

    @property
    def token(self) -> str:
        return f"{self.size:x}-{self.mtime_ns:x}"


COVER = 0  # ``RenditionKey.page`` of a cover; pages are numbered from 1
ORIGINAL = 0  # ``RenditionKey.size`` of a page served as stored in the archive


@dataclass(frozen=True, slots=True)
class RenditionKey:
    comic_id: int
    stamp: FileStamp
    page: int  # COVER, or a 1-based page number
    size: int  # long edge, one of SNAP_SIZES; ORIGINAL for a page's own bytes

    @property
    def etag(self) -> str:
        """A strong entity tag: the same bytes are served for as long as the key holds."""
        text = f"{self.comic_id}:{self.stamp.token}:{self.page}:{self.size}:{RENDER_VERSION}"
        return '"' + blake2b(text.encode(), digest_size=12).hexdigest() + '"'


@dataclass(frozen=True, slots=True)
class Rendition:
    key: RenditionKey
    data: bytes
    media_type: str = "image/jpeg"


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What an image header says, without decoding the pixels."""

    width: int
    height: int
    media_type: str


@dataclass(frozen=True, slots=True)
class PageInfo:
    """One page as ``/issue/<id>/pages`` lists it; ``name`` is its member in the archive."""

    number: int  # 1-based
    name: str
    width: int
    height: int
    size: int  # bytes
    media_type: str


_PAGE_MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "avif": "image/avif",
}


# Every media type a page is served in: as stored (by its name, or by what the image turns out
# to be), or as the JPEG a resize makes.
PAGE_MEDIA_TYPES: Final = (*dict.fromkeys(_PAGE_MEDIA_TYPES.values()), "application/octet-stream")


def media_type_for_name(name: str) -> str:
    return _PAGE_MEDIA_TYPES.get(name.rsplit(".", 1)[-1].casefold(), "application/octet-stream")


JPEG: Final = "image/jpeg"
# Widths a streaming reader may ask for: its screen's, so anything from a watch to a wall.
MIN_STREAM_WIDTH: Final = MIN_SIZE
MAX_STREAM_WIDTH: Final = 16_384


def stream_width(raw: str | int | None) -> int | None:
    """A reader's ``?width=``: None (the page's own width) when missing, not a positive
    integer, or absurdly large; else clamped to at least ``MIN_STREAM_WIDTH``. Readers fill it
    in from a template, so nothing here is an error."""
    value = parse_id(str(raw).strip()) if raw is not None else None
    if not value or value > MAX_STREAM_WIDTH:
        return None
    return max(MIN_STREAM_WIDTH, value)


def stream_size(page: PageInfo, raw_width: str | int | None) -> int:
    """The ``RenditionKey.size`` of a streamed page: minus the width it is served at.

    Streamed pages share the rendition caches (and their bound in bytes) with covers and
    resized pages, whose sizes are positive long edges and ``ORIGINAL`` (0): a negative size
    can never name one of those, so the caches, their file names and the ETags stay apart.
    Widths are not snapped to a few sizes as long edges are: a reader asks for its screen's
    width on every page, so the one width it uses is what gets cached, and the cache is
    bounded in bytes all the same. A page of unknown width (it could not be measured) is
    keyed by the width asked for, else by the largest width; decoding it will most likely fail
    as it did when measured, and answer so.
    """
    width = stream_width(raw_width)
    own = page.width if page.width > 0 else None
    if width is None or (own is not None and width >= own):
        return -(own or width or MAX_STREAM_WIDTH)
    return -width
