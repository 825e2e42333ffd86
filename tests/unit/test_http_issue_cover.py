"""``GET /issue/<id>/cover``: every format, the marked cover, sizes, caching, failures (§5)."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bagboard.adapters.memory.clock import ManualClock
from bagboard.domain.images import SNAP_SIZES
from tests.archive_factory import write_cbz
from tests.browse_support import BACKENDS
from tests.issue_support import (
    CBR_COMPRESSED,
    CBR_STORED,
    CORRUPT,
    GREEN,
    RED,
    TRUNCATED,
    IssueWorld,
    issue_world,
    jpeg_page,
)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IssueWorld]:
    with issue_world(request.param, tmp_path_factory) as built:
        yield built


def image_of(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def centre(image: Image.Image) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert isinstance(pixel, tuple)
    return pixel


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize(
    "relative",
    ["Acme/Plain/Plain 01.cbz", "Acme/Seven/Seven 01.cb7", "Acme/Tape/Tape 01.cbt"],
)
def test_the_first_page_is_the_cover_in_every_format(world: IssueWorld, relative: str) -> None:
    response = world.get(world.url(relative, "/cover"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    cover = image_of(response.content)
    assert cover.format == "JPEG"
    assert cover.size == (267, 400)  # 600x900 page, default long edge 400
    assert close_to(centre(cover), RED)


@pytest.mark.parametrize("relative", [CBR_STORED, CBR_COMPRESSED])
def test_the_cover_of_a_cbr_is_served(world: IssueWorld, relative: str) -> None:
    response = world.get(world.url(relative, "/cover"), size="64")
    assert response.status_code == 200
    cover = image_of(response.content)
    assert cover.format == "JPEG"
    assert max(cover.size) <= 64


def test_the_page_marked_front_cover_wins(world: IssueWorld) -> None:
    cover = image_of(world.get(world.url("Acme/Marked/Marked 01.cbz", "/cover")).content)
    assert close_to(centre(cover), GREEN)


def test_transparency_becomes_white_not_black(world: IssueWorld) -> None:
    cover = image_of(world.get(world.url("Acme/Alpha/Alpha 01.cbz", "/cover")).content)
    corner = cover.convert("RGB").getpixel((3, 3))
    assert close_to(corner, (255, 255, 255)), corner  # type: ignore[arg-type]
    assert centre(cover)[2] > 200


@pytest.mark.parametrize(
    ("size", "long_edge"),
    [("400", 400), ("1", 64), ("64", 64), ("450", 400), ("200", 200), ("5000", 900), ("", 400)],
)
def test_size_is_clamped_snapped_down_and_never_upscaled(
    world: IssueWorld, size: str, long_edge: int
) -> None:
    response = world.get(world.url("Acme/Plain/Plain 01.cbz", "/cover"), size=size)
    assert response.status_code == 200
    assert max(image_of(response.content).size) == long_edge


@pytest.mark.parametrize("size", ["big", "1.5", "4e2"])
def test_a_non_integer_size_is_400(world: IssueWorld, size: str) -> None:
    response = world.get(world.url("Acme/Plain/Plain 01.cbz", "/cover"), size=size)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_covers_are_cached_on_disk_with_a_strong_etag_and_304(world: IssueWorld) -> None:
    url = world.url("Acme/Tape/Tape 01.cbt", "/cover")
    first = world.get(url, size="320")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"].startswith("private, max-age=")
    cached = list(
        (world.data_dir / "renditions").rglob(f"{world.id_of('Acme/Tape/Tape 01.cbt')}-0-320.*.jpg")
    )
    assert len(cached) == 1
    assert cached[0].read_bytes() == first.content
    again = world.get(url, size="320", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert world.get(url, size="320").content == first.content
    assert world.get(url, size="320", headers={"If-None-Match": '"other"'}).status_code == 200
    assert world.get(url, size="200").headers["etag"] != etag


def test_a_changed_file_gets_a_new_cover(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    clock = ManualClock(datetime.now(UTC))
    with issue_world("sqlite", tmp_path_factory, clock=clock) as world:
        relative = "Acme/Plain/Plain 01.cbz"
        url = world.url(relative, "/cover")
        before = world.get(url)
        assert close_to(centre(image_of(before.content)), RED)
        path = world.root_a / relative
        write_cbz(path, {"p01.jpg": jpeg_page(GREEN, (900, 600))})
        library = world.app.libraries.list()[0]
        world.app.scanner().scan(library)
        clock.advance(timedelta(seconds=3))  # what a running server read expires
        after = world.get(url, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert after.headers["etag"] != before.headers["etag"]
        assert close_to(centre(image_of(after.content)), GREEN)
        files = list((world.data_dir / "renditions").rglob(f"{world.id_of(relative)}-0-400.*.jpg"))
        assert len(files) == 1  # the old version was dropped


def test_no_image_is_cover_unavailable(world: IssueWorld) -> None:
    response = world.get(world.url("Acme/Empty/Empty 01.cbz", "/cover"))
    assert response.status_code == 404
    assert response.json()["error"] == "cover_unavailable"


def test_a_comic_indexed_as_unreadable_is_422_cover_failed(world: IssueWorld) -> None:
    for suffix in ("/cover", "/pages", "/page/1"):
        response = world.get(world.url(TRUNCATED, suffix))
        assert response.status_code == 422, suffix
        assert response.json()["error"] == (
            "cover_failed" if suffix == "/cover" else "archive_unreadable"
        )


def test_a_corrupt_archive_is_422_cover_failed_and_logged_once(
    world: IssueWorld, caplog: pytest.LogCaptureFixture
) -> None:
    url = world.url(CORRUPT, "/cover")
    with caplog.at_level(logging.WARNING, logger="bagboard.covers"):
        for _ in range(3):
            response = world.get(url)
            assert response.status_code == 422
            assert response.json()["error"] == "cover_failed"
            assert str(world.root_a) not in response.text
    assert len([r for r in caplog.records if r.name == "bagboard.covers"]) == 1
    assert world.get(world.url("Acme/Plain/Plain 01.cbz", "/cover")).status_code == 200


def test_snap_sizes_are_bounded() -> None:
    assert SNAP_SIZES[0] == 64 and SNAP_SIZES[-1] == 2000
    assert list(SNAP_SIZES) == sorted(set(SNAP_SIZES))
    assert len(SNAP_SIZES) <= 16


def test_head_answers_headers_only(world: IssueWorld) -> None:
    url = world.url("Acme/Plain/Plain 01.cbz", "/cover")
    response = world.client.head(url, headers={"Authorization": f"Bearer {world.owner}"})
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["etag"]


def test_a_file_missing_from_disk_is_not_found_until_it_comes_back(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with issue_world("sqlite", tmp_path_factory) as world:
        relative = "Acme/Seven/Seven 01.cb7"
        path = world.root_a / relative
        data, stat = path.read_bytes(), path.stat()
        path.unlink()  # an unmounted share: the index still holds the comic
        for suffix in ("/cover", "/pages", "/page/1?size=200"):
            response = world.get(world.url(relative, suffix))
            assert response.status_code == 404, suffix
            assert response.json()["error"] == "not_found"
        path.write_bytes(data)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert world.get(world.url(relative, "/cover")).status_code == 200
