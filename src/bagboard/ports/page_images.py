from __future__ import annotations

from typing import Protocol

from bagboard.domain.images import ImageInfo

__all__ = ["PageImages"]


class PageImages(Protocol):
    """Decoding page images (JPEG, PNG, GIF, WebP, BMP, AVIF) given as bytes.

    Every method refuses an image whose header claims more pixels than can be decoded safely (a
    decompression bomb) before decoding anything. Every failure raises ``ImageUnreadable``.
    Decoding is CPU work: callers run it off the event loop.
    """

    def probe(self, data: bytes) -> ImageInfo:
        """Width, height and media type, from the header alone."""
        ...

    def thumbnail(self, data: bytes, long_edge: int) -> bytes:
        """A JPEG whose long edge is at most ``long_edge`` (never enlarged), transparency
        composited on white, any colour mode or bit depth converted to 8-bit RGB or grey."""
        ...

    def jpeg_fit_width(self, data: bytes, max_width: int | None) -> bytes:
        """A JPEG no wider than ``max_width`` (None: the image's own width), the aspect ratio
        kept and never enlarged, flattened as ``thumbnail`` does. For readers that can show
        only what they announced (OPDS page streaming promises ``image/jpeg``) and ask for
        the width of their screen."""
        ...
