"""``PillowImages`` on real images made with Pillow: sizes, colour modes, bombs, corrupt data."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, JpegImagePlugin

from bagboard.adapters.images.pillow import PillowImages
from bagboard.domain.errors import ImageUnreadable
from bagboard.domain.images import ImageInfo

images = PillowImages()


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_probe_reads_the_header() -> None:
    assert images.probe(encode(Image.new("RGB", (1988, 3056)), "JPEG")) == ImageInfo(
        1988, 3056, "image/jpeg"
    )
    assert images.probe(encode(Image.new("RGBA", (30, 20)), "PNG")) == ImageInfo(
        30, 20, "image/png"
    )
    assert images.probe(encode(Image.new("RGB", (7, 9)), "WEBP")).media_type == "image/webp"
    assert images.probe(encode(Image.new("P", (7, 9)), "GIF")).media_type == "image/gif"


@pytest.mark.parametrize(
    ("size", "long_edge", "expected"),
    [
        ((2000, 3000), 400, (267, 400)),
        ((3000, 2000), 400, (400, 267)),
        ((100, 150), 400, (100, 150)),
    ],
)
def test_thumbnails_fit_the_long_edge_and_are_never_enlarged(
    size: tuple[int, int], long_edge: int, expected: tuple[int, int]
) -> None:
    source = encode(Image.new("RGB", size, (200, 30, 30)), "JPEG", quality=90)
    thumb = decode(images.thumbnail(source, long_edge))
    assert thumb.format == "JPEG"
    assert thumb.size == expected
    red, green, blue = thumb.getpixel((thumb.width // 2, thumb.height // 2))  # type: ignore[misc]
    assert red > 170 and green < 60 and blue < 60


def test_transparency_is_composited_on_white() -> None:
    clear = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    clear.paste((0, 0, 255, 255), (100, 100, 200, 200))
    thumb = decode(images.thumbnail(encode(clear, "PNG"), 150))
    assert thumb.mode == "RGB"
    corner = thumb.getpixel((2, 2))
    assert corner == pytest.approx((255, 255, 255), abs=6)  # white, not black
    centre = thumb.getpixel((75, 75))
    assert centre[2] > 200 and centre[0] < 60  # type: ignore[index]


def test_a_palette_image_with_a_transparent_colour_is_composited_on_white() -> None:
    palette = Image.new("P", (64, 64), 0)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette.paste(1, (32, 0, 64, 64))
    data = encode(palette, "PNG", transparency=0)
    thumb = decode(images.thumbnail(data, 64))
    assert thumb.getpixel((4, 32)) == pytest.approx((255, 255, 255), abs=6)
    assert thumb.getpixel((60, 32))[0] > 200  # type: ignore[index]


def test_cmyk_and_sixteen_bit_grey_become_displayable_jpegs() -> None:
    cmyk = encode(Image.new("CMYK", (80, 120), (0, 255, 255, 0)), "JPEG")  # red in CMYK
    thumb = decode(images.thumbnail(cmyk, 64))
    assert thumb.mode == "RGB" and max(thumb.size) == 64
    assert thumb.getpixel((20, 30))[0] > 200  # type: ignore[index]

    grey = Image.frombytes("I;16", (40, 40), struct.pack("<H", 40000) * 1600)
    thumb = decode(images.thumbnail(encode(grey, "PNG"), 64))
    assert thumb.mode == "L"
    assert 140 < thumb.getpixel((20, 20)) < 170  # type: ignore[operator]  # 40000/65535 of 255


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    # A valid PNG header claiming 100,000 x 100,000 pixels, followed by almost nothing.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
    )
    with pytest.raises(ImageUnreadable, match="too large"):
        images.thumbnail(bomb, 400)
    with pytest.raises(ImageUnreadable):
        images.probe(bomb)
    small_limit = PillowImages(max_pixels=100)
    with pytest.raises(ImageUnreadable, match="too large"):
        small_limit.thumbnail(encode(Image.new("RGB", (11, 10)), "PNG"), 64)


@pytest.mark.parametrize("data", [b"", b"not an image", b"\xff\xd8\xff\xe0" + b"\0" * 40])
def test_garbage_is_image_unreadable(data: bytes) -> None:
    with pytest.raises(ImageUnreadable):
        images.thumbnail(data, 400)
    with pytest.raises(ImageUnreadable):
        images.probe(data)


def test_a_truncated_jpeg_is_image_unreadable() -> None:
    data = encode(Image.effect_noise((600, 900), 60).convert("RGB"), "JPEG")
    with pytest.raises(ImageUnreadable):
        images.thumbnail(data[: len(data) // 3], 400)


def test_jpeg_pages_are_decoded_at_reduced_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[tuple[int, int]] = []
    original = JpegImagePlugin.JpegImageFile.load

    def spy(self: JpegImagePlugin.JpegImageFile) -> object:
        decoded.append(self.size)  # the size the decoder is set up to produce
        return original(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    source = encode(Image.new("RGB", (2000, 3000), (10, 200, 10)), "JPEG")
    thumb = decode(images.thumbnail(source, 400))
    assert thumb.size == (267, 400)
    assert decoded and decoded[0] == (500, 750)  # 1/4 scale, still above the target
