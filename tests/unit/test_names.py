"""Filling the metadata ComicInfo leaves blank from a comic's names on disk (domain.names)."""

from __future__ import annotations

import pytest

from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo
from bagboard.domain.names import (
    UNKNOWN_PUBLISHER,
    UNKNOWN_SERIES,
    fill_from_names,
    fill_info,
    relative_to_root,
    tagged_part,
)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        # Library/Series/issue, the Komga and Kavita layout: no publisher folder.
        (
            "Saga/001.cbz",
            {"series": ("Saga", "folder"), "number": ("1", "file name"),
             "publisher": (UNKNOWN_PUBLISHER, "fallback")},
        ),
        # Library/Publisher/Series/issue, the CLU layout.
        (
            "Image/Saga/Saga 054 (2018).cbz",
            {"series": ("Saga", "file name"), "number": ("54", "file name"),
             "year": ("2018", "file name"), "publisher": ("Image", "folder")},
        ),
        # Publisher/Imprint/Series/issue: the top folder is the publisher.
        (
            "DC/Vertigo/Sandman/001.cbz",
            {"series": ("Sandman", "folder"), "number": ("1", "file name"),
             "publisher": ("DC", "folder")},
        ),
        # A volume folder gives the volume; the series is the folder above it.
        (
            "Marvel/Daredevil/v1964/001.cbz",
            {"series": ("Daredevil", "folder"), "number": ("1", "file name"),
             "volume": ("1964", "folder"), "publisher": ("Marvel", "folder")},
        ),
        (
            "Berserk/Vol. 3/Chapter.cbz",
            {"series": ("Chapter", "file name"), "volume": ("3", "folder"),
             "publisher": (UNKNOWN_PUBLISHER, "fallback")},
        ),
        # At the library root, with nothing to name the series but a number.
        (
            "001.cbz",
            {"series": (UNKNOWN_SERIES, "fallback"), "number": ("1", "file name"),
             "publisher": (UNKNOWN_PUBLISHER, "fallback")},
        ),
    ],
)  # fmt: skip
def test_untagged_comics_are_named_by_their_file_and_folders(
    relative: str, expected: dict[str, tuple[str, str]]
) -> None:
    values, sources = fill_from_names({}, relative)
    assert {name: (values[name], sources[name]) for name in values} == expected
    assert values.keys() == sources.keys()


def test_comicinfo_wins_wherever_it_has_a_value() -> None:
    given = {"series": "Saga", "publisher": "Image Comics", "number": "7", "year": "2013"}
    values, sources = fill_from_names(given, "Other/Folder/Wrong Name 099 (1999).cbz")
    assert values == {}
    assert sources == {}


def test_each_blank_field_is_filled_on_its_own() -> None:
    # Series given, publisher and number not: only those two are filled.
    values, sources = fill_from_names({"series": "Saga", "title": " "}, "Image/S/Saga 012.cbz")
    assert values == {"number": "12", "publisher": "Image"}
    assert sources == {"number": "file name", "publisher": "folder"}


def test_fill_info_keeps_what_comicinfo_said_and_says_where_the_rest_came_from() -> None:
    pages = (ComicPageInfo(0, type="FrontCover"),)
    info = ComicInfo(series="Saga", writer="Brian K. Vaughan", pages=pages)
    filled, sources = fill_info(info, "Image/Saga/Saga 003.cbz")
    assert (filled.series, filled.writer, filled.number, filled.publisher) == (
        "Saga",
        "Brian K. Vaughan",
        "3",
        "Image",
    )
    assert filled.pages == pages
    assert sources == (("number", "file name"), ("publisher", "folder"))
    # What ComicInfo itself said is recovered by blanking the filled fields again.
    assert tagged_part(filled, sources) == info


def test_a_comic_without_comicinfo_gets_one_made_of_its_names() -> None:
    filled, sources = fill_info(None, "Saga/Saga 001.cbz")
    assert (filled.series, filled.number, filled.publisher) == ("Saga", "1", UNKNOWN_PUBLISHER)
    assert dict(sources)["publisher"] == "fallback"


def test_paths_are_taken_below_their_library_root() -> None:
    assert relative_to_root("/lib/A/B/c.cbz", "/lib") == "A/B/c.cbz"
    assert relative_to_root("/lib/A/B/c.cbz", "/lib/") == "A/B/c.cbz"
    assert relative_to_root("/library2/c.cbz", "/lib") == "c.cbz"
