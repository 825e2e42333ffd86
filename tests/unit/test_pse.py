"""OPDS page streaming: ``/opds/v1.2/issue/<id>/pse/<n>`` counts from 0, always answers a JPEG
no wider than asked, and with ``track=1`` moves the reader's position forward only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from bagboard.adapters.images.pillow import PillowImages
from bagboard.domain.errors import ImageUnreadable
from bagboard.domain.images import (
    MAX_STREAM_WIDTH,
    MIN_STREAM_WIDTH,
    PageInfo,
    stream_size,
    stream_width,
)
from tests.browse_support import BACKENDS, auth
from tests.unit.opds_v1_support import (
    BLUE,
    GREEN,
    HIDDEN,
    RED,
    SAGA_1,
    SAGA_2,
    SAGA_10,
    SAGA_PAGES,
    V1,
    OpdsWorld,
    alpha_png,
    decoded,
    near,
    opds_world,
    page,
)

WHITE = (255, 255, 255)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpdsWorld]:
    with opds_world(request.param, tmp_path_factory) as built:
        yield built


def stream_url(world: OpdsWorld, relative: str, number: int | str) -> str:
    return f"{V1}/issue/{world.id_of(relative)}/pse/{number}"


def position(world: OpdsWorld, token: str, relative: str) -> dict[str, Any] | None:
    response = world.get(f"/api/v1/issue/{world.id_of(relative)}", token)
    assert response.status_code == 200
    found: dict[str, Any] | None = response.json()["progress"]
    return found


def center(image: Image.Image) -> Any:
    return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


# --- the rules, with literals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("abc", None),
        ("1.5", None),
        ("1e3", None),
        ("-300", None),
        ("0", None),
        ("{maxWidth}", None),
        ("300", 300),
        (" 300 ", 300),
        (1600, 1600),
        ("10", MIN_STREAM_WIDTH),
        (str(MAX_STREAM_WIDTH), MAX_STREAM_WIDTH),
        (str(MAX_STREAM_WIDTH + 1), None),
        ("99999999999999999999999", None),
    ],
)
def test_a_stream_width_is_read_leniently(raw: str | int | None, expected: int | None) -> None:
    assert stream_width(raw) == expected


def test_a_stream_size_is_minus_the_width_served() -> None:
    jpeg_page = PageInfo(1, "p.jpg", 600, 900, 1000, "image/jpeg")
    assert stream_size(jpeg_page, "300") == -300
    assert stream_size(jpeg_page, None) == -600
    assert stream_size(jpeg_page, "600") == -600
    assert stream_size(jpeg_page, "2000") == -600  # never wider than the page: its own width
    unmeasured = PageInfo(1, "p.jpg", 0, 0, 1000, "image/jpeg")
    assert stream_size(unmeasured, "300") == -300
    assert stream_size(unmeasured, None) == -MAX_STREAM_WIDTH


# --- PillowImages.jpeg_fit_width --------------------------------------------------------------


images = PillowImages()


@pytest.mark.parametrize(
    ("size", "max_width", "expected"),
    [
        ((600, 900), 300, (300, 450)),
        ((900, 600), 300, (300, 200)),
        ((600, 900), 600, (600, 900)),
        ((600, 900), 1200, (600, 900)),
        ((600, 900), None, (600, 900)),
    ],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_fit_width_downscales_only_and_always_makes_a_jpeg(
    size: tuple[int, int], max_width: int | None, expected: tuple[int, int], fmt: str
) -> None:
    source = page(RED, fmt, size)
    out = decoded(images.jpeg_fit_width(source, max_width))
    assert out.format == "JPEG"
    assert out.size == expected
    assert near(center(out), RED, 40)


def test_fit_width_composites_transparency_on_white() -> None:
    out = decoded(images.jpeg_fit_width(alpha_png(), 200))
    assert out.format == "JPEG"
    assert out.mode == "RGB"
    assert out.size == (200, 300)
    assert near(out.getpixel((5, 5)), WHITE)
    assert near(center(out), (0, 0, 255), 40)


def test_fit_width_of_grey_and_palette_images() -> None:
    grey = io.BytesIO()
    Image.new("I;16", (100, 150), 65535).save(grey, format="PNG")
    out = decoded(images.jpeg_fit_width(grey.getvalue(), 50))
    assert out.format == "JPEG"
    assert out.size == (50, 75)
    assert out.convert("L").getpixel((25, 37)) > 240  # type: ignore[operator]


def test_fit_width_refuses_what_is_not_an_image() -> None:
    with pytest.raises(ImageUnreadable):
        images.jpeg_fit_width(b"not an image at all", 300)
    with pytest.raises(ImageUnreadable):
        images.jpeg_fit_width(page(RED)[:200], 300)


# --- the route ---------------------------------------------------------------------------------


def test_page_zero_is_the_first_page_and_n_minus_one_the_last(world: OpdsWorld) -> None:
    first = world.get(stream_url(world, SAGA_1, 0))
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/jpeg"
    # A JPEG page no wider than asked is its own bytes.
    assert first.content == SAGA_PAGES["p01.jpg"]
    assert near(center(decoded(first.content)), RED)
    middle = world.get(stream_url(world, SAGA_1, 1))
    assert near(center(decoded(middle.content)), GREEN)
    last = world.get(stream_url(world, SAGA_1, 2), width="1600")
    assert last.content == SAGA_PAGES["p03.jpg"]
    assert near(center(decoded(last.content)), BLUE)


@pytest.mark.parametrize("number", ["3", "4", "-1", "x", "1.0", "{pageNumber}", "99999999999999"])
def test_a_page_out_of_range_is_404(world: OpdsWorld, number: str) -> None:
    response = world.get(stream_url(world, SAGA_1, number))
    assert response.status_code == 404


def test_an_unknown_comic_is_404(world: OpdsWorld) -> None:
    assert world.get(f"{V1}/issue/999999/pse/0").status_code == 404
    assert world.get(f"{V1}/issue/abc/pse/0").status_code == 404


def test_a_page_is_downscaled_to_the_width(world: OpdsWorld) -> None:
    response = world.get(stream_url(world, SAGA_1, 0), width="300", track="0")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    image = decoded(response.content)
    assert image.format == "JPEG"
    assert image.size == (300, 450)
    assert near(center(image), RED)


@pytest.mark.parametrize("width", ["5000", "600", "0", "garbage", "", "{maxWidth}", "-5"])
def test_a_width_that_asks_for_no_downscale_serves_the_page_as_is(
    world: OpdsWorld, width: str
) -> None:
    response = world.get(stream_url(world, SAGA_1, 1), width=width)
    assert response.status_code == 200
    assert response.content == SAGA_PAGES["p02.jpg"]


def test_webp_pages_come_back_as_jpeg(world: OpdsWorld) -> None:
    for number, color in ((0, GREEN), (1, BLUE)):
        response = world.get(stream_url(world, SAGA_2, number))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        image = decoded(response.content)
        assert image.format == "JPEG"
        assert image.size == (600, 900)
        assert near(center(image), color, 40)
    small = decoded(world.get(stream_url(world, SAGA_2, 1), width="200").content)
    assert (small.format, small.size) == ("JPEG", (200, 300))
    assert world.get(stream_url(world, SAGA_2, 2)).status_code == 404


def test_a_transparent_png_page_comes_back_as_jpeg_on_white(world: OpdsWorld) -> None:
    response = world.get(stream_url(world, SAGA_10, 0), width="200")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    image = decoded(response.content)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (200, 300))
    assert near(image.getpixel((3, 3)), WHITE)
    assert near(center(image), (0, 0, 255), 40)


def test_an_encoded_page_is_kept_in_the_rendition_cache(world: OpdsWorld) -> None:
    comic_id = world.id_of(SAGA_10)
    url = stream_url(world, SAGA_10, 0)
    first = world.get(url, width="320")
    renditions = world.app.config.data_dir / "renditions"
    kept = list(renditions.rglob(f"{comic_id}-1--320.*.jpg"))
    assert [path.read_bytes() for path in kept] == [first.content]
    assert world.get(url, width="320").content == first.content


def test_pages_have_etags_and_revalidate(world: OpdsWorld) -> None:
    url = stream_url(world, SAGA_2, 0)
    response = world.get(url, width="400")
    etag = response.headers["etag"]
    assert response.headers["cache-control"].startswith("private, max-age=")
    again = world.get(url, width="400", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = world.get(url, width="300")
    assert other.headers["etag"] != etag
    # Not the same representation as the /api/v1 page (which is WebP there).
    api = world.get(f"/api/v1/issue/{world.id_of(SAGA_2)}/page/1")
    assert api.headers["content-type"] == "image/webp"
    assert api.headers["etag"] != etag


def test_a_limited_user_cannot_stream_another_librarys_comic(world: OpdsWorld) -> None:
    hidden = world.id_of(HIDDEN, world.root_b)
    assert world.get(f"{V1}/issue/{hidden}/pse/0").status_code == 200
    assert world.get(f"{V1}/issue/{hidden}/pse/0", world.kid).status_code == 404
    assert world.get(f"{V1}/issue/{hidden}/pse/0", world.kid, track="1").status_code == 404


def test_without_credentials_a_page_is_401(world: OpdsWorld) -> None:
    response = world.client.get(stream_url(world, SAGA_1, 0))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    basic = world.client.get(stream_url(world, SAGA_1, 0), auth=("reader", world.owner))
    assert basic.status_code == 200


# --- tracking ------------------------------------------------------------------------------------


def test_tracking_moves_the_position_forward_only(world: OpdsWorld) -> None:
    reader = world.new_reader()
    assert position(world, reader, SAGA_1) is None
    assert world.get(stream_url(world, SAGA_1, 1), reader, track="1").status_code == 200
    moved = position(world, reader, SAGA_1)
    assert moved is not None
    assert (moved["page_number"], moved["total_pages"]) == (2, 3)
    # Back to the first page (a reader's prefetch, or leafing back): the position stays.
    assert world.get(stream_url(world, SAGA_1, 0), reader, track="1").status_code == 200
    assert position(world, reader, SAGA_1)["page_number"] == 2  # type: ignore[index]
    assert world.get(stream_url(world, SAGA_1, 2), reader, track="1").status_code == 200
    assert position(world, reader, SAGA_1)["page_number"] == 3  # type: ignore[index]
    # The feed shows it, 1-based.
    feed = world.get(f"{V1}/issues?series=Saga&publisher=Image", reader).text
    assert 'pse:lastRead="3"' in feed
    # Another user is untouched.
    assert position(world, world.new_reader(), SAGA_1) is None


def test_tracking_never_goes_back_behind_a_saved_position_nor_conflicts(
    world: OpdsWorld,
) -> None:
    reader = world.new_reader()
    # A position saved by another device, with a device time far in the future.
    body = {"path": world.path(SAGA_1), "page_number": 3, "updated_at": 4_000_000_000}
    saved = world.client.put("/api/v1/progress", json=body, headers=auth(reader))
    assert saved.status_code in (200, 204)
    for number in (0, 1, 2):
        response = world.get(stream_url(world, SAGA_1, number), reader, track="1")
        assert response.status_code == 200
    assert position(world, reader, SAGA_1)["page_number"] == 3  # type: ignore[index]


def test_without_track_nothing_changes(world: OpdsWorld) -> None:
    reader = world.new_reader()
    params: list[dict[str, Any]] = [{}, {"track": "0"}, {"track": "yes"}, {"width": "300"}]
    for query in params:
        response = world.get(stream_url(world, SAGA_2, 1), reader, None, **query)
        assert response.status_code == 200
    assert position(world, reader, SAGA_2) is None
    # A HEAD is not reading.
    head = world.client.head(
        stream_url(world, SAGA_2, 1), params={"track": "1"}, headers=auth(reader)
    )
    assert head.status_code == 200
    assert position(world, reader, SAGA_2) is None


def test_a_revalidated_tracked_page_still_counts(world: OpdsWorld) -> None:
    reader = world.new_reader()
    url = stream_url(world, SAGA_2, 1)
    etag = world.get(url, reader).headers["etag"]
    response = world.get(url, reader, headers={"If-None-Match": etag}, track="1")
    assert response.status_code == 304
    assert position(world, reader, SAGA_2)["page_number"] == 2  # type: ignore[index]
