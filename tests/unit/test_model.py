from __future__ import annotations

import posixpath

import pytest

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry
from bagboard.domain.errors import InvalidInput, InvalidMode
from bagboard.domain.model import BrowseMode, Library, Role, User


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, BrowseMode.FILESYSTEM),
        ("", BrowseMode.FILESYSTEM),
        ("metadata", BrowseMode.METADATA),
        ("MetaData", BrowseMode.METADATA),
        (" FILESYSTEM ", BrowseMode.FILESYSTEM),
    ],
)
def test_browse_mode_parse(raw: str | None, expected: BrowseMode) -> None:
    assert BrowseMode.parse(raw, default=BrowseMode.FILESYSTEM) is expected


@pytest.mark.parametrize("raw", ["folders", "meta", "1", "metadata;", " ", "\x0c", "\t\n"])
def test_browse_mode_rejects_unknown(raw: str) -> None:
    with pytest.raises(InvalidMode) as info:
        BrowseMode.parse(raw, default=BrowseMode.METADATA)
    assert info.value.code == "invalid_mode"


def test_role_parse() -> None:
    assert Role.parse(" Owner ") is Role.OWNER
    with pytest.raises(InvalidInput):
        Role.parse("admin")


def test_user_library_restriction() -> None:
    everyone = User(1, "ann", Role.OWNER, None)
    limited = User(2, "bob", Role.READER, frozenset({2}))
    nothing = User(3, "cy", Role.READER, frozenset())
    assert everyone.may_see(7)
    assert limited.may_see(2) and not limited.may_see(1)
    assert not nothing.may_see(1)


def test_user_name_required() -> None:
    with pytest.raises(InvalidInput):
        User(1, "  ", Role.READER)


def test_library_contains() -> None:
    lib = Library(1, "Comics", "/data/comics")
    assert lib.contains("/data/comics")
    assert lib.contains("/data/comics/DC/Batman 001.cbz")
    assert not lib.contains("/data/comics-old/x.cbz")
    assert not lib.contains("/data")
    assert Library(2, "root", "/").contains("/anything")


def test_library_root_must_be_absolute() -> None:
    with pytest.raises(InvalidInput):
        Library(1, "rel", "comics")


@pytest.mark.parametrize(
    "path", ["/srv/c/a.cbz", "/a.cbz", "//srv//c//a.cbz", "a.cbz", "/", "//", "rel/a.cbz", ""]
)
def test_a_comic_entry_names_its_file_and_folder_as_posixpath_does(path: str) -> None:
    entry = ComicEntry(path, 1, 1, "fp", ArchiveFormat.ZIP)
    assert (entry.name, entry.folder_path) == (posixpath.basename(path), posixpath.dirname(path))
