"""The pure rules of covers and pages: sizes, snapping, ids, entity tags."""

from __future__ import annotations

import pytest

from bagboard.domain.errors import InvalidInput
from bagboard.domain.images import (
    COVER,
    DEFAULT_COVER_SIZE,
    SNAP_SIZES,
    FileStamp,
    RenditionKey,
    media_type_for_name,
    parse_id,
    requested_size,
    snapped_size,
)


@pytest.mark.parametrize(
    ("raw", "size"),
    [(None, DEFAULT_COVER_SIZE), ("", 400), ("  ", 400), ("300", 300), (" 300 ", 300),
     ("1", 64), ("0", 64), ("-5", 64), ("2000", 2000), ("99999", 2000), ("+120", 120),
     # Any integer, however long, is clamped (never converted whole).
     ("9" * 12, 2000), ("9" * 5000, 2000), ("-" + "9" * 30, 64), ("0" * 20 + "300", 300)],
)  # fmt: skip
def test_requested_sizes_are_clamped(raw: str | None, size: int) -> None:
    assert requested_size(raw) == size


@pytest.mark.parametrize("raw", ["abc", "1.5", "4e2", "0x10", "1_000", "+-5", "²", "٣"])
def test_a_non_integer_size_is_invalid(raw: str) -> None:
    with pytest.raises(InvalidInput):
        requested_size(raw)


@pytest.mark.parametrize(
    ("size", "snapped"),
    [(64, 64), (65, 64), (400, 400), (450, 400), (479, 400), (480, 480), (1999, 1600),
     (2000, 2000)],
)  # fmt: skip
def test_sizes_snap_down_so_the_long_edge_never_exceeds_the_request(
    size: int, snapped: int
) -> None:
    assert snapped_size(size) == snapped
    assert snapped_size(size) in SNAP_SIZES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), ("0", 0), ("007", 7), ("-1", None), ("+1", None), ("1.0", None),
     ("", None), ("٣", None), ("1" * 19, None), ("2147483647", 2147483647),
     ("2147483648", None)],
)  # fmt: skip
def test_ids_are_plain_decimal_digits(raw: str, expected: int | None) -> None:
    assert parse_id(raw) == expected


def test_the_etag_changes_with_the_file_page_and_size() -> None:
    stamp = FileStamp(100, 5)
    key = RenditionKey(1, stamp, COVER, 400)
    assert key.etag == RenditionKey(1, FileStamp(100, 5), COVER, 400).etag
    assert key.etag.startswith('"') and key.etag.endswith('"')
    others = {
        RenditionKey(2, stamp, COVER, 400).etag,
        RenditionKey(1, FileStamp(100, 6), COVER, 400).etag,
        RenditionKey(1, FileStamp(101, 5), COVER, 400).etag,
        RenditionKey(1, stamp, 1, 400).etag,
        RenditionKey(1, stamp, COVER, 320).etag,
    }
    assert key.etag not in others and len(others) == 5


def test_media_types_by_extension() -> None:
    assert media_type_for_name("a/B.JPG") == "image/jpeg"
    assert media_type_for_name("x.webp") == "image/webp"
    assert media_type_for_name("x.tiff") == "application/octet-stream"
