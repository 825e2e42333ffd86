"""The Range rules of RFC 9110, tested with literals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bagboard.adapters.http.files.download import content_disposition
from bagboard.adapters.http.files.ranges import (
    MAX_RANGES,
    UNSATISFIABLE,
    ByteRange,
    http_date,
    if_range_allows,
    not_modified,
    parse_range,
    weak_match,
)

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", [(0, 99)]),
        ("bytes=500-", [(500, 999)]),
        ("bytes=-100", [(900, 999)]),
        ("bytes=-5000", [(0, 999)]),
        ("bytes=990-5000", [(990, 999)]),
        ("bytes=999-999", [(999, 999)]),
        ("BYTES = 0-0", [(0, 0)]),
        ("bytes=0-9, 20-29", [(0, 9), (20, 29)]),
        ("bytes=20-29,0-9", [(20, 29), (0, 9)]),  # requested order kept
        ("bytes=0-9,,20-29", [(0, 9), (20, 29)]),  # empty list elements are allowed
        ("bytes=0-9,5000-6000", [(0, 9)]),  # the unsatisfiable one is dropped
        ("bytes=50-99,0-60", [(0, 99)]),  # overlapping ranges are merged
        ("bytes=0-9,10-19,-5", [(0, 9), (10, 19), (995, 999)]),
    ],
)
def test_satisfiable_ranges(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range(header, SIZE) == tuple(ByteRange(a, b) for a, b in expected)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "bytes=",
        "items=0-9",  # unknown unit
        "bytes 0-9",
        "bytes=a-b",
        "bytes=9-0",  # last before first
        "bytes=-",
        "bytes=0-9;x",
        "bytes=1-2,abc",
        "bytes=" + "9" * 30 + "-",
        "bytes=" + ",".join(["0-0"] * (MAX_RANGES + 1)),
    ],
)
def test_malformed_or_foreign_headers_are_ignored(header: str | None) -> None:
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges(header: str) -> None:
    assert parse_range(header, SIZE) is UNSATISFIABLE


def test_nothing_is_satisfiable_in_an_empty_file() -> None:
    assert parse_range("bytes=0-", 0) is UNSATISFIABLE
    assert parse_range("bytes=-10", 0) is UNSATISFIABLE


def test_content_range_and_length() -> None:
    part = ByteRange(10, 19)
    assert part.length == 10
    assert part.content_range(SIZE) == "bytes 10-19/1000"


MODIFIED = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
ETAG = '"abc"'


def test_if_range_with_the_current_strong_tag_or_date_allows_the_range() -> None:
    assert if_range_allows(None, ETAG, MODIFIED)
    assert if_range_allows('"abc"', ETAG, MODIFIED)
    assert if_range_allows(http_date(MODIFIED), ETAG, MODIFIED)


@pytest.mark.parametrize(
    "if_range", ['"old"', 'W/"abc"', "Sun, 01 Mar 2026 11:59:59 GMT", "not a date", '"abc", "x"']
)
def test_if_range_that_does_not_match_means_the_whole_file(if_range: str) -> None:
    assert not if_range_allows(if_range, ETAG, MODIFIED)


def test_if_none_match_uses_weak_comparison_and_wins_over_if_modified_since() -> None:
    assert weak_match('W/"abc"', ETAG)
    assert weak_match('"x", "abc"', ETAG)
    assert weak_match("*", ETAG)
    assert not weak_match('"x"', ETAG)
    later = http_date(MODIFIED.replace(hour=13))
    assert not_modified('"abc"', None, ETAG, MODIFIED)
    assert not not_modified('"x"', later, ETAG, MODIFIED)  # If-None-Match decides
    assert not_modified(None, later, ETAG, MODIFIED)
    assert not_modified(None, http_date(MODIFIED), ETAG, MODIFIED)
    assert not not_modified(None, http_date(MODIFIED.replace(hour=11)), ETAG, MODIFIED)
    assert not not_modified(None, "garbage", ETAG, MODIFIED)
    assert not not_modified(None, None, ETAG, MODIFIED)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Batman 001.cbz", 'attachment; filename="Batman 001.cbz"'),
        (
            'Ça "va".cbz',
            "attachment; filename=\"_a _va_.cbz\"; filename*=UTF-8''%C3%87a%20%22va%22.cbz",
        ),
        (
            "進撃の巨人 01.cbr",
            "attachment; filename=\"_____ 01.cbr\"; filename*=UTF-8''"
            "%E9%80%B2%E6%92%83%E3%81%AE%E5%B7%A8%E4%BA%BA%2001.cbr",
        ),
    ],
)
def test_content_disposition(name: str, expected: str) -> None:
    assert content_disposition(name) == expected
