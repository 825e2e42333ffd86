from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import ComicKey, ComicReading, ProgressChange, ReadingProgress
from bagboard.domain.progress_feed import FeedCursor, FeedItem

__all__ = ["ProgressStore"]


class ProgressStore(Protocol):
    """Each user's positions and read marks, written and read by comic, and their changes.

    A key with a comic id finds the row of that comic wherever it has moved, or else the row
    left at the comic's path by an earlier comic (a rebuild gave it a new id), which it then
    takes over. A key without one finds the row kept for that exact path.

    Writes of one user are serialised, and each gets a server time strictly after the user's
    previous change (``progress.next_change_time``), so ``changes`` pages in commit order.
    """

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        """The stored position, a cleared one (a tombstone) included; None if never written."""
        ...

    def readings(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ComicReading]:
        """The read mark and live position of indexed comics, by id, in one read whatever the
        number of ids (a page of a list). The position is what ``position`` finds for the
        comic's key unless cleared; the mark is the comic's own live mark. A comic with
        neither, not indexed, or unknown is left out; repeated ids count once."""
        ...

    def touched(self, user_id: int, library_ids: Sequence[int]) -> list[int]:
        """The ids of every indexed comic of ``library_ids`` that ``readings`` may find a
        mark or a live position for, in ascending order: never one left out, perhaps a few
        more (a comic whose only position was superseded). What the lists limited to read
        or started comics narrow to, whatever the size of the libraries."""
        ...

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        """Comics of ``library_ids`` the user has a live position of their own in and has
        not marked read: the most recently saved first, ties by comic id, the larger first."""
        ...

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        """Apply ``change`` under ``progress.apply_change`` atomically and return the result,
        its device included; ``StaleProgress`` (nothing written) when it is older than the
        stored position. A forward-only change the stored position ``holds`` against writes
        nothing (no new server time, no feed entry) and returns the stored position."""
        ...

    def writes_at_once(self) -> bool:
        """Whether ``save_at_once`` may write at all: when False it always answers None, and a
        caller need not look anything up for it. By default False."""
        return False

    def save_at_once(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress | None:
        """``save``, made now or not at all: None (nothing written) when it would have to
        wait, for a lock another write holds, for a disk that has been slow to make writes
        durable, or for a round trip to a database server; then the caller calls ``save``
        from a worker thread. What it returns and raises otherwise is ``save``'s. Made for the
        event loop of a server; by default always None."""
        return None

    def clear(self, user_id: int, key: ComicKey, now: datetime) -> bool:
        """Delete the position, leaving a tombstone for the feed; False if there was none."""
        ...

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
        """Mark the comic read (again: a new read time) or, with ``read=False``, unmark it.

        ``position`` is written first, as ``save`` writes it, in the same transaction: a
        reader polling between the two never sees a read comic at an old page, and neither
        write happens without the other (``StaleProgress`` leaves both unwritten). Both get
        the same server time; the sync feed lists the position first. Returns the position
        ``save`` would have returned, or None without one."""
        ...

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        """The user's changes after ``after``, oldest first; ``total`` counts all of them."""
        ...
