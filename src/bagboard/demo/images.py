"""Page, cover and folder images: rendered once per run into a small pool and reused."""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from PIL import Image, ImageDraw

from bagboard.demo.model import COVER_POOL, PAGE_POOL

__all__ = ["image_pool"]


@lru_cache(maxsize=4)
def image_pool(
    seed: int, size: tuple[int, int], quality: int
) -> tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...]]:
    thumb = (max(8, size[0] // 2), max(8, size[1] // 2))

    def render(index: int) -> tuple[bytes, bytes]:
        # One generator per image, so rendering in parallel stays reproducible.
        rng = random.Random(f"image/{seed}/{index}")  # noqa: S311 - reproducible test data
        image = _render(rng, size, cover=index < COVER_POOL)
        folder = image.resize(thumb, Image.Resampling.BILINEAR) if index < COVER_POOL else None
        return _jpeg(image, quality), b"" if folder is None else _jpeg(folder, quality)

    # Pillow releases the GIL while resizing and encoding, so threads can use a second core.
    with ThreadPoolExecutor() as pool:
        images = list(pool.map(render, range(COVER_POOL + PAGE_POOL)))
    pages = tuple(page for page, _ in images)
    folder_jpgs = tuple(folder for _, folder in images[:COVER_POOL])
    return pages[:COVER_POOL], pages[COVER_POOL:], folder_jpgs


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def _render(rng: random.Random, size: tuple[int, int], *, cover: bool) -> Image.Image:
    width, height = size
    strip = Image.new("RGB", (1, 2))
    strip.putpixel((0, 0), _colour(rng))
    strip.putpixel((0, 1), _colour(rng))
    image = strip.resize(size, Image.Resampling.BILINEAR)
    # Coarse noise, blown up, gives the soft texture of colouring; fine noise would triple the size.
    grid = (max(2, width // 100), max(2, height // 100))
    noise = Image.frombytes("RGB", grid, rng.randbytes(grid[0] * grid[1] * 3))
    # Covers are busier than story pages, so they weigh more, as in real comics.
    image = Image.blend(image, noise.resize(size, Image.Resampling.BICUBIC), 0.2 if cover else 0.1)
    draw = ImageDraw.Draw(image)
    if cover:
        draw.rectangle((0, 0, width, height // 6), fill=_colour(rng))
        boxes = [(0, height // 6, width, height)]
        shapes = (6, 12)
    else:
        boxes = _panels(rng, width, height)
        shapes = (0, 2)
    line = max(1, width // 160)
    for x0, y0, x1, y1 in boxes:
        if not cover:
            draw.rectangle((x0, y0, x1, y1), outline=(20, 20, 20), width=line)
        for _ in range(rng.randint(*shapes)):
            left, top = rng.randint(x0, x1), rng.randint(y0, y1)
            right, bottom = rng.randint(left, x1), rng.randint(top, y1)
            if rng.random() < 0.5:
                draw.ellipse((left, top, right, bottom), fill=_colour(rng))
            else:
                apex = ((left + right) // 2, top)
                draw.polygon([(left, bottom), apex, (right, bottom)], fill=_colour(rng))
    return image


def _panels(rng: random.Random, width: int, height: int) -> list[tuple[int, int, int, int]]:
    margin = max(2, width // 40)
    rows = rng.randint(2, 3)
    boxes = []
    for row in range(rows):
        top, bottom = (
            margin + row * (height - margin) // rows,
            (row + 1) * (height - margin) // rows,
        )
        columns = rng.randint(1, 2)
        for column in range(columns):
            left = margin + column * (width - margin) // columns
            right = (column + 1) * (width - margin) // columns
            boxes.append((left, top, right, bottom))
    return boxes
