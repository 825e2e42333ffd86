from __future__ import annotations

import pytest

from bagboard.domain.archive import (
    COMIC_EXTENSIONS,
    MAX_COMICINFO_BYTES,
    MAX_PAGE_BYTES,
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
