"""The page lists of the comics read lately, kept by comic and file version."""

from __future__ import annotations

from bagboard.domain.images import FileStamp, PageInfo
from bagboard.services.page_lists import kept_page_lists

ONE = FileStamp(100, 1)
PAGES = (PageInfo(1, "p01.jpg", 600, 900, 35_000, "image/jpeg"),)
OTHER = (PageInfo(1, "cover.png", 10, 20, 30, "image/png"),)


def test_a_list_is_kept_for_its_comic_and_file_version_only() -> None:
    kept = kept_page_lists()
    kept.put(7, ONE, PAGES)
    assert kept.get(7, ONE) is PAGES
    assert kept.get(7, FileStamp(100, 2)) is None  # the file changed: measured again
    assert kept.get(7, FileStamp(101, 1)) is None
    assert kept.get(8, ONE) is None


def test_the_lists_asked_for_last_stay() -> None:
    kept = kept_page_lists(size=2)
    kept.put(1, ONE, PAGES)
    kept.put(2, ONE, OTHER)
    assert kept.get(1, ONE) is PAGES  # asked for: now the newest
    kept.put(3, ONE, OTHER)
    assert kept.get(2, ONE) is None
    assert kept.get(1, ONE) is PAGES
    assert kept.get(3, ONE) is OTHER
