"""``PillowImages``: page headers, JPEG thumbnails and width-fitted JPEG pages through Pillow.

JPEG pages are decoded at reduced scale (``draft``: 1/2, 1/4 or 1/8 of the pixels, chosen so
the result is still at least the target size) before the final resize, which makes a cover of
a 2000x3000 scan several times cheaper than decoding it whole.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, ImageOps

from bagboard.domain.errors import ImageUnreadable
from bagboard.domain.images import ImageInfo
from bagboard.ports.page_images import PageImages

__all__ = ["JPEG_QUALITY", "MAX_PIXELS", "PillowImages"]

# Pillow's own ceiling (about 89 megapixels, already far beyond a 600 dpi double-page scan).
# Checked from the header, before any pixel is decoded.
MAX_PIXELS: Final = 89_478_485
JPEG_QUALITY: Final = 85
_WHITE: Final = (255, 255, 255)
_FORMAT_TYPES: Final = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "AVIF": "image/avif",
}


class PillowImages(PageImages):
    def __init__(self, *, max_pixels: int = MAX_PIXELS, quality: int = JPEG_QUALITY) -> None:
        self._max_pixels = max_pixels
        self._quality = quality

    def probe(self, data: bytes) -> ImageInfo:
        with self._open(data) as image:
            media_type = _FORMAT_TYPES.get(image.format or "", "application/octet-stream")
            return ImageInfo(image.width, image.height, media_type)

    def thumbnail(self, data: bytes, long_edge: int) -> bytes:
        try:
            with self._open(data) as image:
                scale = min(1.0, long_edge / max(image.width, image.height))
                target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
                if image.format == "JPEG":
                    image.draft(None, target)
                flat = _flatten(ImageOps.exif_transpose(image) or image)
                if scale < 1.0:
                    # exif_transpose may have swapped the edges; fit the box, keep the ratio.
                    flat.thumbnail((long_edge, long_edge), Image.Resampling.BICUBIC)
                return self._jpeg(flat)
        except ImageUnreadable:
            raise
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
            raise ImageUnreadable("the page image is corrupt or truncated") from exc

    def jpeg_fit_width(self, data: bytes, max_width: int | None) -> bytes:
        try:
            with self._open(data) as image:
                width = image.width if max_width is None else max(1, max_width)
                if image.format == "JPEG" and width < image.width:
                    # Orientation is applied after decoding, so the stored width may become
                    # the height: a draft no smaller than the target in both edges is safe.
                    image.draft(None, (width, width))
                flat = _flatten(ImageOps.exif_transpose(image) or image)
                if flat.width > width:
                    height = max(1, round(flat.height * width / flat.width))
                    flat = flat.resize((width, height), Image.Resampling.BICUBIC)
                return self._jpeg(flat)
        except ImageUnreadable:
            raise
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
            raise ImageUnreadable("the page image is corrupt or truncated") from exc

    def _jpeg(self, image: Image.Image) -> bytes:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=self._quality)
        return out.getvalue()

    def _open(self, data: bytes) -> Image.Image:
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise ImageUnreadable("the image is too large to decode safely") from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageUnreadable("not an image Pillow can decode") from exc
        if image.width <= 0 or image.height <= 0:
            image.close()
            raise ImageUnreadable("the image has no pixels")
        if image.width * image.height > self._max_pixels:
            image.close()
            raise ImageUnreadable(
                f"the image is {image.width}x{image.height}, too large to decode safely"
            )
        return image


def _flatten(image: Image.Image) -> Image.Image:
    """8-bit RGB or grey, transparency composited on white: what a JPEG can hold."""
    mode = image.mode
    if mode.startswith(("I;16", "I")) or mode == "F":
        # 16-bit and 32-bit grey: scale to 8 bits rather than clip at 255.
        high = 65535 if mode.startswith("I;16") or mode == "I" else 1.0
        image = image.convert("I") if mode != "F" else image
        image = image.point(lambda value: value * (255 / high)).convert("L")
        return image
    if mode in ("1", "L"):
        return image.convert("L")
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, _WHITE)
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")
