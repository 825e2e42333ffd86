"""The sync feed's body (``/progress/since``) encoded once per page the store kept, with the
server's time, the one field that changes from one request to the next, appended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from bagboard.adapters.http.api.progress_json import feed_body, feed_bytes
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress_feed import ChangeKind, Feed, FeedCursor, FeedItem, Source

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def _page(*pages: int) -> Page[FeedItem]:
    items = [
        FeedItem(
            ChangeKind.POSITION,
            f"/srv/comics/Saga/Saga {n:02}.cbz",
            FeedCursor(T0 + timedelta(minutes=n), Source.POSITION, n),
            page_number=n,
            total_pages=40,
            time_spent=60 * n,
        )
        for n in pages
    ]
    items.append(
        FeedItem(ChangeKind.READ, '/srv/comics/é & "quoted".cbz', FeedCursor(T0, Source.MARK, 9))
    )
    return Page(items, 7, PageRequest(1, 3))


def test_the_body_is_the_feed_encoded_whatever_the_time() -> None:
    page = _page(1, 2)
    for server_time in (T0, T0 + timedelta(days=400, seconds=1)):
        feed = Feed(page, page.items[-1].cursor, server_time)
        expected = msgspec.json.encode(feed_body(feed))
        assert feed_bytes(feed) == expected
        assert msgspec.json.decode(feed_bytes(feed))["server_time"] == int(server_time.timestamp())


def test_an_empty_page_keeps_the_cursor_it_was_asked_from() -> None:
    empty: Page[FeedItem] = Page([], 0, PageRequest())
    for ts in (0, 1_700_000_000):
        feed = Feed(empty, FeedCursor.since_unix(ts), T0)
        assert feed_bytes(feed) == msgspec.json.encode(feed_body(feed))


def test_a_new_page_is_encoded_anew() -> None:
    first, second = _page(1), _page(1, 2, 3)
    for page in (first, second, first):
        feed = Feed(page, page.items[-1].cursor, T0)
        assert feed_bytes(feed) == msgspec.json.encode(feed_body(feed))
