"""Publication entries are kept by everything they show: a change to any of it renders again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.entry_cache import EntryCache
from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.progress import ReadingProgress
from bagboard.services.issues import IssueDetail

MOMENT = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
COMIC = IndexedComic(
    id=7,
    library_id=1,
    path="/lib/Saga 001.cbz",
    size=10,
    mtime_ns=1_700_000_000_000_000_000,
    format=ArchiveFormat.ZIP,
    added_at=MOMENT,
    page_count=3,
    comic_info=ComicInfo(series="Saga", number="1"),
)
LINKS = Links("http://reader.example")


def _kept(cache: EntryCache[str], detail: IssueDetail, links: Links = LINKS) -> str:
    return cache.get(links, detail, lambda: f"{detail.comic}|{detail.progress}|{links.base}")


def test_an_entry_is_rendered_once_for_the_same_comic_position_and_base() -> None:
    cache: EntryCache[str] = EntryCache()
    renders: list[int] = []
    detail = IssueDetail(COMIC, ReadingState(), None)

    def render() -> str:
        renders.append(1)
        return "entry"

    assert cache.get(LINKS, detail, render) == cache.get(LINKS, detail, render) == "entry"
    assert renders == [1]


def test_whatever_an_entry_shows_renders_it_again() -> None:
    cache: EntryCache[str] = EntryCache()
    position = ReadingProgress(COMIC.path, 2, 3, 0, MOMENT)
    first = IssueDetail(COMIC, ReadingState(), None)
    variants = [
        IssueDetail(replace(COMIC, path="/lib/Saga 002.cbz"), ReadingState(), None),
        IssueDetail(replace(COMIC, size=11), ReadingState(), None),
        IssueDetail(replace(COMIC, mtime_ns=COMIC.mtime_ns + 1), ReadingState(), None),
        IssueDetail(replace(COMIC, page_count=4), ReadingState(), None),
        IssueDetail(replace(COMIC, format=ArchiveFormat.RAR), ReadingState(), None),
        # ComicInfo read again from a file whose size and time did not change.
        IssueDetail(
            replace(COMIC, comic_info=ComicInfo(series="Saga", number="1", writer="BKV")),
            ReadingState(),
            None,
        ),
        IssueDetail(COMIC, ReadingState(2), position),
        IssueDetail(COMIC, ReadingState(3), replace(position, page_number=3)),
    ]
    kept = _kept(cache, first)
    for variant in variants:
        assert _kept(cache, variant) == _kept(EntryCache(), variant) != kept
    assert _kept(cache, first, Links("https://other.example")) != kept
    assert _kept(cache, first) == kept


def test_a_full_cache_starts_over() -> None:
    cache: EntryCache[str] = EntryCache(size=2)
    details = [IssueDetail(replace(COMIC, id=n), ReadingState(), None) for n in range(3)]
    for detail in details:
        _kept(cache, detail)
    renders: list[int] = []
    cache.get(LINKS, details[0], lambda: str(renders.append(1)))
    assert renders == [1]
