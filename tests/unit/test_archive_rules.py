from __future__ import annotations

import posixpath
import re

import pytest

from bagboard.domain import archive as archive_rules
from bagboard.domain.archive import (
    COMIC_EXTENSIONS,
    MAX_COMICINFO_BYTES,
    MAX_PAGE_BYTES,
    PAGE_EXTENSIONS,
    ArchiveFormat,
    ArchiveSummary,
    find_comicinfo,
    format_for_name,
    is_junk_member,
    is_page_image,
    is_safe_member_name,
    page_order,
)
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.naturalsort import natural_key, natural_path_key


@pytest.mark.parametrize(
    "name",
    [
        "p1.jpg",
        "P1.JPEG",
        "a/b/c.png",
        "x.gif",
        "x.webp",
        "x.bmp",
        "x.avif",
        "./p1.jpg",
        "folder\\p1.jpg",
        "my.comic.v2/01.jpg",
    ],
)
def test_page_images(name: str) -> None:
    assert is_page_image(name)


@pytest.mark.parametrize(
    "name",
    [
        "folder/",
        "folder.jpg/",
        "__MACOSX/p1.jpg",
        "a/__macosx/p1.jpg",
        "._p1.jpg",
        "a/b/._p1.jpg",
        ".hidden.jpg",
        ".hidden/p1.jpg",
        "a/.cache/p1.jpg",
        "Thumbs.db",
        "a/Thumbs.db",
        "ComicInfo.xml",
        "notes.txt",
        "p1.jxl",
        "p1.jpg.txt",
        "jpg",
        "../p1.jpg",
        "a/../../p1.jpg",
        "/abs/p1.jpg",
        "\\abs\\p1.jpg",
        "C:/p1.jpg",
        "c:p1.jpg",
        "p\x001.jpg",
        "",
    ],
)
def test_not_page_images(name: str) -> None:
    assert not is_page_image(name)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("p1.jpg", True),
        ("a/b/p1.jpg", True),
        ("./p1.jpg", True),
        ("a..b/p..1.jpg", True),
        ("..", False),
        ("../p1.jpg", False),
        ("a/../p1.jpg", False),
        ("a\\..\\p1.jpg", False),
        ("/p1.jpg", False),
        ("\\p1.jpg", False),
        ("D:\\p1.jpg", False),
        ("p1\x00.jpg", False),
        ("", False),
    ],
)
def test_safe_member_names(name: str, safe: bool) -> None:
    assert is_safe_member_name(name) is safe


def test_junk_members() -> None:
    assert is_junk_member("__MACOSX/x") and is_junk_member("a/.DS_Store")
    assert is_junk_member("./") and not is_junk_member("./a.jpg")
    assert not is_junk_member("a.b/c.jpg")


def test_page_order_is_natural_on_the_full_path_and_drops_the_rest() -> None:
    names = [
        "ch2/p10.jpg",
        "ch2/p9.jpg",
        "ch10/p1.jpg",
        "ch2/p9.jpg",  # duplicate entries happen in zips; a page is listed once
        "__MACOSX/ch2/._p1.jpg",
        "ch2/Thumbs.db",
        "cover.JPG",
        "ComicInfo.xml",
    ]
    assert page_order(names) == ("ch2/p9.jpg", "ch2/p10.jpg", "ch10/p1.jpg", "cover.JPG")
    assert page_order([]) == ()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["p1.jpg"], None),
        (["ComicInfo.xml"], "ComicInfo.xml"),
        (["a/ComicInfo.xml", "comicinfo.XML"], "comicinfo.XML"),
        (["a/b/ComicInfo.xml", "z/ComicInfo.xml"], "z/ComicInfo.xml"),
        (["b/ComicInfo.xml", "a/ComicInfo.xml"], "a/ComicInfo.xml"),
        (["__MACOSX/ComicInfo.xml", "._ComicInfo.xml", "x/ComicInfo.xml"], "x/ComicInfo.xml"),
        (["../ComicInfo.xml"], None),
        (["ComicInfo.xml.bak", "MyComicInfo.xml"], None),
    ],
)
def test_find_comicinfo(names: list[str], expected: str | None) -> None:
    assert find_comicinfo(names) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.cbz", ArchiveFormat.ZIP),
        ("/lib/A.CBR", ArchiveFormat.RAR),
        ("x.cb7", ArchiveFormat.SEVEN_ZIP),
        ("x.7z", ArchiveFormat.SEVEN_ZIP),
        ("x.cbt", ArchiveFormat.TAR),
        ("x.tar", ArchiveFormat.TAR),
        ("x.zip", ArchiveFormat.ZIP),
        ("x.rar", ArchiveFormat.RAR),
        ("x.pdf", ArchiveFormat.PDF),
        ("x.epub", None),
        ("cbz", None),
        ("x.tar.gz", None),
    ],
)
def test_format_for_name(name: str, expected: ArchiveFormat | None) -> None:
    assert format_for_name(name) == expected


def test_constants_and_summary() -> None:
    assert ".cbz" in COMIC_EXTENSIONS and ".cbr" in COMIC_EXTENSIONS
    assert MAX_COMICINFO_BYTES < MAX_PAGE_BYTES
    summary = ArchiveSummary(ArchiveFormat.ZIP, ("a.jpg", "b.jpg"), ComicInfo(title="t"))
    assert summary.page_count == 2
    assert ArchiveSummary(ArchiveFormat.TAR, ()).comic_info is None


# The rules as first written, one regex split per question: the quicker paths must agree.
def _reference_segments(name: str) -> list[str]:
    return [part for part in re.split(r"[/\\]", name) if part not in ("", ".")]


def _reference_safe(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")):
        return False
    return not re.match(r"^[A-Za-z]:", name) and ".." not in _reference_segments(name)


def _reference_junk(name: str) -> bool:
    segments = _reference_segments(name)
    return not segments or any(s.startswith(".") or s.casefold() == "__macosx" for s in segments)


def _reference_page(name: str) -> bool:
    if name.endswith(("/", "\\")) or not _reference_safe(name) or _reference_junk(name):
        return False
    return posixpath.splitext(name.casefold())[1] in PAGE_EXTENSIONS


_PIECES = ["", ".", "..", ".x", "__MACOSX", "ComicInfo.xml", "COMİCINFO.XML", "p1.JPG", "C:", "é:",
           "ß.png", "1:b.jpg", "a\x00.jpg", "comicinfo.xml.bak"]  # fmt: skip
NAMES = sorted(
    {a + sep + b for a in _PIECES for b in _PIECES for sep in ("", "/", "\\")}
    | {f"{a}/{b}\\{c}" for a in _PIECES[:6] for b in _PIECES for c in _PIECES[5:9]}
)


def test_the_member_rules_agree_with_one_split_per_question_on_every_shape() -> None:
    for name in NAMES:
        assert is_safe_member_name(name) == _reference_safe(name), name
        assert is_junk_member(name) == _reference_junk(name), name
        assert is_page_image(name) == _reference_page(name), name
    # ComicInfo.xml among the same names, a few at a time as archives hold them.
    for start in range(0, len(NAMES), 7):
        names = NAMES[start : start + 7]
        found = [
            name
            for name in names
            if _reference_safe(name)
            and not _reference_junk(name)
            and _reference_segments(name)[-1].casefold() == "comicinfo.xml"
        ]
        expected = min(
            found,
            key=lambda n: (len(_reference_segments(n)), natural_path_key(n)),
            default=None,
        )
        assert find_comicinfo(names) == expected, names
        paths = [name for name in names if _reference_page(name)]
        assert page_order(names) == tuple(sorted(set(paths), key=_reference_path_key))


def _reference_path_key(path: str) -> object:
    return (tuple(natural_key(segment)[0] for segment in re.split(r"[/\\]", path)), path)


def test_page_order_is_the_same_whether_names_were_seen_before_and_remembers_few(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = ["p10.jpg", "P9.JPG", "ComicInfo.xml", "sub/p1.png", ".hidden.jpg", "p9.jpg"]
    expected = ("P9.JPG", "p9.jpg", "p10.jpg", "sub/p1.png")
    monkeypatch.setattr(archive_rules, "_PAGE_KEYS", {})
    assert page_order(names) == expected  # every name worked out
    assert page_order(reversed(names)) == expected  # every name remembered
    monkeypatch.setattr(archive_rules, "_MAX_CACHED_NAMES", 2)
    monkeypatch.setattr(archive_rules, "_PAGE_KEYS", {})
    assert page_order(names) == expected
    assert len(archive_rules._PAGE_KEYS) == 2
