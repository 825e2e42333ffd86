"""KOReader's document ids, page order and rounding (``domain.kosync``), checked against the
vectors of docs/spec koreader-sync §2.3 (computed with KOReader's own loop under LuaJIT)."""

from __future__ import annotations

import hashlib
import io
from functools import cmp_to_key
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagboard.domain import kosync
from bagboard.domain.archive import ArchiveFormat, kosync_pages, page_order
from bagboard.domain.files import file_digests, fingerprint, fingerprint_sample
from bagboard.domain.kosync import (
    SAMPLE_OFFSETS,
    kosync_page,
    kosync_page_map,
    kosync_percentage,
    last_shown_page,
    mupdf_page_names,
    name_md5,
    our_page,
    page_from_progress,
    partial_md5,
)

_PATTERN = bytes(range(251))


def pattern(size: int) -> bytes:
    """The spec's synthetic file: byte ``k`` is ``k mod 251``."""
    return (_PATTERN * (size // 251 + 1))[:size]


VECTORS = [
    (800, "20e127c7581a467b5d3add57bd12342f"),
    (5_000, "e77dcca7f22a949ae8492c260ca19f32"),
    (3_000_000, "da96d9df9e3ed2a4e922f3641ba40600"),
    (1_024, "9ee0a0e0c0bc0f1ff29d663d1fdf0743"),
    (0, "d41d8cd98f00b204e9800998ecf8427e"),
]


def test_koreader_samples_from_offset_zero_then_at_powers_of_four_kib() -> None:
    kib = 1024
    expected = (
        *(0, kib, 4 * kib, 16 * kib, 64 * kib, 256 * kib),
        *(kib**2, 4 * kib**2, 16 * kib**2, 64 * kib**2, 256 * kib**2, kib**3),
    )
    assert expected == SAMPLE_OFFSETS


@pytest.mark.parametrize(("size", "digest"), VECTORS)
def test_partial_md5_matches_koreader(size: int, digest: str) -> None:
    assert partial_md5(io.BytesIO(pattern(size))) == digest


def test_partial_md5_of_a_fifty_mib_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "big.cbz"
    chunk = pattern(251 * 4096)  # a whole number of periods, so chunks join seamlessly
    size = 52_428_800
    with path.open("wb") as file:
        written = 0
        while written < size:
            part = chunk[: size - written]
            file.write(part)
            written += len(part)
    with path.open("rb") as file:
        assert partial_md5(file) == "616e298af0d37b61a8805ac06bd9284a"


def test_a_short_last_sample_is_hashed_as_read_not_as_komga_pads_it() -> None:
    data = pattern(5_000)
    assert partial_md5(io.BytesIO(data)) != "6dda68c2d46884e557a57a62046ad779"
    # Komga's port: the last sample's buffer still holds the previous sample's tail.
    buffer = bytearray(1024)
    komga = hashlib.md5(usedforsecurity=False)
    for offset in (0, 1024, 4096):
        sample = data[offset : offset + 1024]
        buffer[: len(sample)] = sample
        komga.update(bytes(buffer))
    assert komga.hexdigest() == "6dda68c2d46884e557a57a62046ad779"


@pytest.mark.parametrize("size", [0, 800, 5_000, 64 * 1024, 128 * 1024, 200_000, 3_000_000])
def test_one_read_gives_the_fingerprint_and_the_partial_md5(size: int) -> None:
    data = pattern(size)
    digests = file_digests(io.BytesIO(data), size)
    assert digests.fingerprint == fingerprint(size, fingerprint_sample(data))
    assert digests.kosync_md5 == partial_md5(io.BytesIO(data))


def test_name_md5_hashes_the_base_name_as_utf8() -> None:
    assert name_md5("Saga 001 (2012).cbz") == "8d17d0bc645d8cd63e09e66fecca73ca"
    assert name_md5("/srv/comics/Saga/Saga 001 (2012).cbz") == "8d17d0bc645d8cd63e09e66fecca73ca"
    assert name_md5("Éclair.cbz") == hashlib.md5("Éclair.cbz".encode()).hexdigest()


def test_mupdf_orders_pages_case_blind_and_digit_runs_by_value() -> None:
    names = ["b.jpg", "A.jpg", "page10.jpg", "page9.jpg", "Page2.JPG", "c.png"]
    assert mupdf_page_names(names) == [
        "A.jpg",
        "b.jpg",
        "c.png",
        "Page2.JPG",
        "page9.jpg",
        "page10.jpg",
    ]


def test_mupdf_keeps_resource_forks_and_hidden_images_and_leaves_out_webp() -> None:
    names = [
        "p1.jpg",
        "p2.webp",
        "p3.jpg",
        "__MACOSX/._p1.jpg",
        ".cover.png",
        "ComicInfo.xml",
        "x.avif",
        "sub/",
    ]
    # '.' sorts before letters, '_' after upper-cased ones.
    assert mupdf_page_names(names) == [".cover.png", "p1.jpg", "p3.jpg", "__MACOSX/._p1.jpg"]


def test_the_page_map_is_none_when_both_orders_agree() -> None:
    names = ["01.jpg", "02.jpg", "ComicInfo.xml"]
    assert kosync_page_map(names, page_order(names)) is None


# Ours: p1, p2 (webp), p3. KOReader's: p1, p3, the resource fork.
FORKED = ["p1.jpg", "p2.webp", "p3.jpg", "__MACOSX/._p1.jpg", "ComicInfo.xml"]


def test_the_page_map_names_our_page_for_each_of_theirs() -> None:
    pages = page_order(FORKED)
    assert pages == ("p1.jpg", "p2.webp", "p3.jpg")
    assert kosync_page_map(FORKED, pages) == (1, 3, 0)


def test_pages_translate_both_ways() -> None:
    page_map = kosync_page_map(FORKED, page_order(FORKED))
    assert [our_page(k, page_map, 3) for k in (1, 2, 3)] == [1, 3, 3]
    assert [kosync_page(p, page_map, 3) for p in (1, 2, 3)] == [(1, 3), (1, 3), (2, 3)]
    # Every page both show survives the round trip, from either side.
    assert page_map is not None
    for theirs, ours in enumerate(page_map, start=1):
        if ours:
            assert our_page(theirs, page_map, 3) == ours
            assert kosync_page(ours, page_map, 3) == (theirs, len(page_map))


def test_without_a_map_pages_are_the_same_numbers_clamped() -> None:
    assert [our_page(k, None, 5) for k in (0, 1, 5, 9)] == [1, 1, 5, 5]
    assert [kosync_page(p, None, 5) for p in (0, 3, 9)] == [(1, 5), (3, 5), (5, 5)]


def test_any_reordering_round_trips() -> None:
    names = ["b/1.jpg", "a/2.jpg", "A/3.jpg"]
    pages = ("b/1.jpg", "a/2.jpg", "A/3.jpg")  # KOReader's: a/2, A/3, b/1
    page_map = kosync_page_map(names, pages)
    assert page_map is not None
    theirs = mupdf_page_names(names)
    for number, name in enumerate(theirs, start=1):
        assert our_page(number, page_map, 3) == pages.index(name) + 1
        assert kosync_page(pages.index(name) + 1, page_map, 3) == (number, 3)


def test_only_mupdf_formats_get_a_page_map() -> None:
    pages = page_order(FORKED)
    for archive_format in (ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.RAR):
        assert kosync_pages(archive_format, FORKED, pages) == (1, 3, 0)
    assert kosync_pages(ArchiveFormat.SEVEN_ZIP, FORKED, pages) is None


def test_percentage_is_floored_to_four_decimals_as_koreader_does() -> None:
    assert kosync_percentage(1, 3) == 0.3333
    assert kosync_percentage(2, 3) == 0.6666
    assert kosync_percentage(3, 3) == 1.0
    assert kosync_percentage(56, 60) == 0.9333
    assert kosync_percentage(1, 0) == 0.0


@pytest.mark.parametrize("progress", ["56", 56, 56.0, " 56 ", "056"])
def test_progress_names_the_page(progress: object) -> None:
    assert page_from_progress(progress, 0.1, 60) == 56


def test_progress_that_is_no_page_falls_back_to_the_percentage() -> None:
    assert page_from_progress("x", 0.5, 60) == 30
    assert page_from_progress("/body/DocFragment[3]", kosync_percentage(1, 3), 3) == 1
    assert page_from_progress(None, kosync_percentage(2, 3), 3) == 2
    assert page_from_progress("x", 1.0, 60) == 60
    assert page_from_progress(True, 0.5, 60) == 30
    assert page_from_progress(56.5, 0.5, 60) == 30
    assert page_from_progress("x", float("nan"), 60) == 1


def test_pages_are_clamped_to_the_comic() -> None:
    assert page_from_progress("999", 0.1, 60) == 60
    assert page_from_progress("0", 0.1, 60) == 1
    assert page_from_progress(-3, 0.1, 60) == 1
    assert page_from_progress("x", 7.0, 60) == 60
    assert page_from_progress("x", -1.0, 60) == 1
    assert page_from_progress("9" * 40, 0.1, 60) == 60


def test_koreader_finishes_at_its_last_page_that_is_one_of_ours() -> None:
    # A credits page sorted last by KOReader, first by us: its page 3 is our page 1.
    assert last_shown_page((2, 3, 1)) == 3
    # Resource forks sorted after the pages: its page 2 is the last that shows ours.
    assert last_shown_page((1, 2, 0, 0)) == 2
    # Nothing of ours: no page of KOReader's finishes the comic.
    assert last_shown_page((0, 0)) == 3


_NAME_CHARS = st.sampled_from([*"0123456789aAzZ_-. /!~é١\x00", "00", "10", "9"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_NAME_CHARS, max_size=8).map("".join), max_size=12))
def test_mupdf_order_by_key_is_the_order_of_its_pairwise_comparison(stems: list[str]) -> None:
    names = [f"{stem}.jpg" for stem in stems]
    found = mupdf_page_names(names)
    assert found == sorted(sorted(found), key=cmp_to_key(kosync._mupdf_compare))


def test_mupdf_order_is_the_same_whether_names_were_seen_before_and_remembers_few(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = ["page10.jpg", "Page9.JPG", "ComicInfo.xml", "sub/", "a.webp", "page9.jpg"]
    expected = ["Page9.JPG", "page9.jpg", "page10.jpg"]
    monkeypatch.setattr(kosync, "_MUPDF_KEYS", {})
    assert mupdf_page_names(names) == expected  # every name worked out
    assert mupdf_page_names(reversed(names)) == expected  # every name remembered
    monkeypatch.setattr(kosync, "_MAX_CACHED_NAMES", 2)
    monkeypatch.setattr(kosync, "_MUPDF_KEYS", {})
    assert mupdf_page_names(names) == expected
    assert len(kosync._MUPDF_KEYS) == 2
