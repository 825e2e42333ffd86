from __future__ import annotations

import pytest

from bagboard.domain.browse import (
    ISSUE_SORTS,
    PUBLISHER_SORTS,
    SERIES_SORTS,
    FolderShape,
    Scope,
    Sort,
    check_path_part,
    display_name,
    folder_display_name,
    grouping_key,
    volumes,
)
from bagboard.domain.errors import InvalidPath


@pytest.mark.parametrize(
    ("raw", "allowed", "expected"),
    [
        (None, SERIES_SORTS, Sort.ALPHA),
        ("", SERIES_SORTS, Sort.ALPHA),
        ("COUNT", PUBLISHER_SORTS, Sort.COUNT),
        ("year", PUBLISHER_SORTS, Sort.ALPHA),  # not a publisher sort: falls back
        ("recent", SERIES_SORTS, Sort.RECENT),
        ("count", ISSUE_SORTS, Sort.ALPHA),
        ("bogus", ISSUE_SORTS, Sort.ALPHA),
    ],
)
def test_sort_parse(raw: str | None, allowed: tuple[Sort, ...], expected: Sort) -> None:
    assert Sort.parse(raw, allowed) is expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("DC Comics", "dc comics"),
        ("  dc   COMICS ", "dc comics"),
        ("Straße", "strasse"),
        ("Astérix", "astérix"),
        ("", ""),
    ],
)
def test_grouping_key(text: str, key: str) -> None:
    assert grouping_key(text) == key


def test_display_name_is_the_most_common_spelling() -> None:
    assert display_name([("DC Comics", 5), ("dc comics", 2), ("DC COMICS", 1)]) == "DC Comics"
    assert display_name([("dc comics", 3), ("DC Comics", 3)]) == "DC Comics"  # tie: code points
    assert display_name([(" Marvel ", 1), ("Marvel", 1)]) == "Marvel"  # trimmed spellings merge
    assert display_name([]) == ""


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        (FolderShape(2, 0, (("v1997", 5, 5), ("v1971", 3, 3))), ("v1971", "v1997")),
        (FolderShape(2, 0, (("v2", 1, 1), ("v10", 1, 1))), ("v2", "v10")),
        (FolderShape(2, 1, (("v1971", 3, 3),)), None),  # comics directly inside
        (FolderShape(2, 0, ()), None),  # nothing at all
        (FolderShape(2, 0, (("v1971", 3, 3), ("extras", 0, 0))), ("v1971",)),  # empty ignored
        # Comics only deeper: the folders holding them are volumes, by their path.
        (
            FolderShape(2, 0, (("v1971", 3, 3), ("nested", 4, 0)), ("nested/b", "nested/a 2")),
            ("nested/a 2", "nested/b", "v1971"),
        ),
        (FolderShape(2, 0, (("v2", 1, 1),), ("v2/extra",)), ("v2", "v2/extra")),
        (FolderShape(1, 0, (("Batman", 3, 3), ("Superman", 2, 2))), None),  # a publisher
        (FolderShape(3, 0, (("a", 1, 1),)), None),  # a volume folder
    ],
)
def test_volumes(shape: FolderShape, expected: tuple[str, ...] | None) -> None:
    assert volumes(shape) == expected


@pytest.mark.parametrize(
    ("name", "parent", "shown"),
    [
        ("v1985", "Swamp Thing", "Swamp Thing v1985"),
        ("V2001", "Saga", "Saga V2001"),
        ("Volume 2", "Saga", "Volume 2"),
        ("v1985", None, "v1985"),
        ("v19850", "X", "v19850"),
    ],
)
def test_folder_display_name(name: str, parent: str | None, shown: str) -> None:
    assert folder_display_name(name, parent) == shown


@pytest.mark.parametrize(
    "raw",
    ["..", "../etc", "DC/../../etc", "/data/../etc", "DC\\..\\etc", "a/..", "x\x00y"],
)
def test_path_parts_that_climb_are_refused_without_echo(raw: str) -> None:
    with pytest.raises(InvalidPath) as info:
        check_path_part(raw)
    assert info.value.code == "invalid_path"
    assert "etc" not in info.value.message


@pytest.mark.parametrize("raw", ["DC Comics", "/data/DC Comics", "..hidden", "a..b", "v1985", "."])
def test_ordinary_parts_pass(raw: str) -> None:
    assert check_path_part(raw) == raw


def test_scope_contains() -> None:
    scope = Scope((1, 2), ("/data/comics", "/srv/manga/"))
    assert scope.contains("/data/comics")
    assert scope.contains("/data/comics/DC")
    assert scope.contains("/srv/manga/One Piece")
    assert not scope.contains("/data/comics-old/DC")
    assert not scope.contains("/data")
    assert not Scope((), ()).contains("/data/comics")


def test_scope_depth() -> None:
    scope = Scope((1,), ("/data/comics",))
    assert scope.depth("/data/comics") == 0
    assert scope.depth("/data/comics/DC") == 1
    assert scope.depth("/data/comics/DC/Batman") == 2
    assert scope.depth("/data/comics/DC/Batman/v2016") == 3
    assert scope.depth("/elsewhere/DC") is None
