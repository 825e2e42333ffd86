"""The progress store every service uses: the stored one, after the user's noted pages.

Streamed pages are noted by a ``PageTracker`` and written shortly after (see
``services/page_tracking.py``). So that no protocol sees a position from before a page the
reader fetched, every call for a user (a read: ``/api/v1`` progress, OPDS progression and
feeds, Komga's read progress, KOReader's sync; or a write) first writes what is noted for
that user, and waits for such writes under way. A user with nothing noted costs a dictionary
look-up. Writes come after the noted pages for the same reason: a position cleared, or set
back by a reader's own clock, is not then overtaken by a page fetched before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import ComicKey, ComicReading, ProgressChange, ReadingProgress
from bagboard.domain.progress_feed import FeedCursor, FeedItem
from bagboard.ports.progress_store import ProgressStore
from bagboard.services.page_tracking import PageTracker

__all__ = ["TrackedProgressStore"]


class TrackedProgressStore(ProgressStore):
    """``store``, each call made after ``tracker``'s noted pages of the user it names."""

    def __init__(self, store: ProgressStore, tracker: PageTracker) -> None:
        self._store = store
        self._tracker = tracker

    @property
    def tracker(self) -> PageTracker:
        return self._tracker

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        self._tracker.flush_user(user_id)
        return self._store.position(user_id, key)

    def readings(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ComicReading]:
        self._tracker.flush_user(user_id)
        return self._store.readings(user_id, comic_ids)

    def touched(self, user_id: int, library_ids: Sequence[int]) -> list[int]:
        self._tracker.flush_user(user_id)
        return self._store.touched(user_id, library_ids)

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        self._tracker.flush_user(user_id)
        return self._store.keep_reading(user_id, library_ids, page)

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        self._tracker.flush_user(user_id)
        return self._store.save(user_id, key, change, now)

    def writes_at_once(self) -> bool:
        return self._store.writes_at_once()

    def save_at_once(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress | None:
        # Writing the noted pages first would wait for them: that is ``save``'s to do.
        if not self._tracker.settled(user_id):
            return None
        return self._store.save_at_once(user_id, key, change, now)

    def clear(self, user_id: int, key: ComicKey, now: datetime) -> bool:
        self._tracker.flush_user(user_id)
        return self._store.clear(user_id, key, now)

    def set_read(
        self,
        user_id: int,
        key: ComicKey,
        read: bool,
        now: datetime,
        *,
        page_count: int | None = None,
        time_spent: int | None = None,
        position: ProgressChange | None = None,
    ) -> ReadingProgress | None:
        self._tracker.flush_user(user_id)
        return self._store.set_read(
            user_id,
            key,
            read,
            now,
            page_count=page_count,
            time_spent=time_spent,
            position=position,
        )

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        self._tracker.flush_user(user_id)
        return self._store.changes(user_id, after, page)
