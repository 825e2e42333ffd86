"""A feed's ``updated`` is its newest entry's: the newest file, or a newer reading position."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bagboard.adapters.http.opds.entries import entry_updated
from bagboard.adapters.http.opds.navigation import latest
from bagboard.domain.browse import ReadingState
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.progress import ReadingProgress
from bagboard.services.issues import IssueDetail

START = datetime(2024, 1, 1, tzinfo=UTC)
DEFAULT = datetime(2000, 1, 1, tzinfo=UTC)


def _detail(comic_id: int, file_time: datetime, read_at: datetime | None = None) -> IssueDetail:
    comic = IndexedComic(
        id=comic_id,
        library_id=1,
        path=f"/lib/{comic_id}.cbz",
        size=1,
        mtime_ns=int(file_time.timestamp()) * 10**9,
        format=None,
        added_at=START,
        page_count=1,
        comic_info=None,
    )
    progress = None if read_at is None else ReadingProgress(comic.path, 1, 1, 0, read_at)
    return IssueDetail(comic, ReadingState(), progress)


def _reference(details: list[IssueDetail]) -> datetime:
    return max((entry_updated(detail) for detail in details), default=DEFAULT)


def test_the_newest_file_when_nobody_read_anything() -> None:
    details = [_detail(n, START + timedelta(days=n)) for n in (3, 9, 1)]
    assert latest(details, DEFAULT) == START + timedelta(days=9) == _reference(details)


def test_a_position_newer_than_every_file_wins() -> None:
    read_at = START + timedelta(days=30)
    details = [_detail(1, START), _detail(2, START + timedelta(days=9)), _detail(3, START, read_at)]
    assert latest(details, DEFAULT) == read_at == _reference(details)


def test_an_older_position_does_not() -> None:
    details = [_detail(1, START + timedelta(days=9)), _detail(2, START, START + timedelta(days=1))]
    assert latest(details, DEFAULT) == START + timedelta(days=9) == _reference(details)


def test_a_file_time_past_what_a_date_can_hold_does_not_hide_the_others() -> None:
    newest = _detail(2, START + timedelta(days=9))
    broken = replace(_detail(1, START), comic=replace(_detail(1, START).comic, mtime_ns=10**30))
    assert latest([broken, newest], DEFAULT) == START + timedelta(days=9)
    assert latest([broken, newest], DEFAULT) == _reference([broken, newest])


def test_an_empty_feed_keeps_the_default() -> None:
    assert latest([], DEFAULT) == DEFAULT
