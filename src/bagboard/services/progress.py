"""Reading positions and read marks as the API names them: by path, for one user; and by
comic id, as OPDS names them (progression, page tracking), over the same rows.

A path that names an indexed comic the user may see is stored against that comic's id, so the
position follows the comic through moves and renames; any other path is kept as given (a
client may report a comic before the index has it). A comic the user may not see is treated
like a path that is not indexed, so nothing here tells them it exists.

Marking a comic read, by whatever protocol, also moves its position on to the last page
(``progress.read_position``) in the same write, so a reader that syncs only positions sees it
finished; unmarking leaves the position as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import ComicNotFound, InvalidInput
from bagboard.domain.model import User
from bagboard.domain.pagination import FIRST_PAGE, PageRequest
from bagboard.domain.progress import (
    ComicKey,
    ComicReading,
    Device,
    ProgressChange,
    ReadingProgress,
    check_count,
    read_position,
)
from bagboard.domain.progress_feed import Feed, FeedCursor
from bagboard.ports.clock import Clock
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.progress_store import ProgressStore
from bagboard.services.libraries import sees_library
from bagboard.services.page_tracking import PageTracker

__all__ = ["MAX_PATH_BYTES", "ProgressService"]


# Paths are unique keys of the progress tables; an index entry must stay well inside what
# PostgreSQL's B-tree accepts (about 2,700 bytes). No real comic path comes near it.
MAX_PATH_BYTES = 2048


class ProgressService:
    def __init__(
        self,
        store: ProgressStore,
        index: LibraryIndex,
        libraries: LibraryStore,
        clock: Clock,
        *,
        tracker: PageTracker | None = None,
    ) -> None:
        self._store = store
        self._index = index
        self._libraries = libraries
        self._clock = clock
        self._tracker = tracker

    def position(self, user: User, path: str) -> ReadingProgress | None:
        """The live position at ``path``; None when never saved or cleared."""
        found = self._store.position(user.id, self._key(user, path))
        return None if found is None or found.cleared else found

    def save(self, user: User, path: str, change: ProgressChange) -> ReadingProgress:
        """Store a position; ``StaleProgress`` when the change is older than the stored one."""
        return self._store.save(user.id, self._key(user, path), change, self._clock.now())

    def save_at_once(self, user: User, path: str, change: ProgressChange) -> ReadingProgress | None:
        """``save``, made now or not at all (``ProgressStore.save_at_once``): None, nothing
        written, when it would wait; then call ``save`` from a worker thread."""
        if not self._store.writes_at_once():
            # Nothing looked up for nothing: on PostgreSQL the lookup would borrow a pooled
            # connection for the rest of the request, on the event loop, and the write in its
            # thread another one; sixteen such requests at once held every connection of the
            # pool while waiting for a second (a pool-timeout stall of the whole server).
            return None
        key = self._key(user, path)
        return self._store.save_at_once(user.id, key, change, self._clock.now())

    def position_of(self, user: User, comic_id: int) -> ReadingProgress | None:
        """The live position in an indexed comic; None when never saved or cleared."""
        return self._live(self._store.position(user.id, self._comic_key(user, comic_id)))

    def save_comic(self, user: User, comic_id: int, change: ProgressChange) -> ReadingProgress:
        """Store a position in an indexed comic, as ``save`` does for its path; a forward-only
        change behind the stored page returns the stored position, writing nothing."""
        key = self._comic_key(user, comic_id)
        return self._store.save(user.id, key, change, self._clock.now())

    # A request that has just looked the comic up for this user (``IssueService.comic``)
    # passes it on rather than have it looked up and its library checked a second time.

    def position_in(self, user: User, comic: IndexedComic) -> ReadingProgress | None:
        """``position_of`` a comic this request has just looked up for ``user``."""
        return self._live(self._store.position(user.id, ComicKey(comic.path, comic.id)))

    def save_in(self, user: User, comic: IndexedComic, change: ProgressChange) -> ReadingProgress:
        """``save_comic`` in a comic this request has just looked up for ``user``."""
        key = ComicKey(comic.path, comic.id)
        return self._store.save(user.id, key, change, self._clock.now())

    def track_in(self, user: User, comic: IndexedComic, change: ProgressChange) -> None:
        """``save_in`` a forward-only ``change`` (a streamed page) without waiting for it: the
        tracker writes it shortly after, before any read of the user's progress
        (``services/page_tracking.py``); without a tracker, it is saved now."""
        if self._tracker is None:
            self.save_in(user, comic, change)
        else:
            self._tracker.track(user.id, ComicKey(comic.path, comic.id), change)

    def clear_in(self, user: User, comic: IndexedComic) -> None:
        """``clear`` the position in a comic this request has just looked up for ``user``."""
        self._store.clear(user.id, ComicKey(comic.path, comic.id), self._clock.now())

    def set_read_in(
        self, user: User, comic: IndexedComic, read: bool, *, device: Device | None = None
    ) -> ReadingProgress | None:
        """``mark_read`` (or, with ``read=False``, ``unmark``) a comic this request has just
        looked up for ``user``. A mark returns the position it moved on to the last page (or
        the one already there or past it), written as ``device``'s; None when it wrote none
        (an unmark, a comic of no pages)."""
        change = read_position(comic.page_count, device) if read else None
        return self.save_read_in(user, comic, change, read)

    def save_read_in(
        self, user: User, comic: IndexedComic, change: ProgressChange | None, read: bool
    ) -> ReadingProgress | None:
        """Write ``change`` (when given), then set or clear the read mark, in one transaction:
        a write that says both where the reader is and whether they finished (Komga's).
        Returns what ``save_in`` would for the change (None without one)."""
        key = ComicKey(comic.path, comic.id)
        return self._store.set_read(user.id, key, read, self._clock.now(), position=change)

    def readings(self, user: User, comic_ids: Sequence[int]) -> dict[int, ComicReading]:
        """The read marks and live positions of comics the caller lists, by id, in one read;
        comics the user never touched are left out."""
        return self._store.readings(user.id, comic_ids)

    def positions(self, user: User, comic_ids: Sequence[int]) -> dict[int, ReadingProgress]:
        """The live positions of comics the caller lists (so may show the user), by id; one
        read for a page of a list."""
        readings = self._store.readings(user.id, comic_ids)
        return {
            comic_id: reading.position
            for comic_id, reading in readings.items()
            if reading.position is not None
        }

    def clear(self, user: User, path: str) -> None:
        self._store.clear(user.id, self._key(user, path), self._clock.now())

    def mark_read(
        self,
        user: User,
        path: str,
        *,
        page_count: int | None = None,
        time_spent: int | None = None,
    ) -> None:
        """Mark the comic at ``path`` read, moving its position on to the last page: the
        indexed comic's page count, or for a path not indexed the ``page_count`` given
        (without one, no position is written)."""
        check_count("page_count", page_count)
        check_count("time_spent", time_spent)
        key = self._key(user, path)
        last_page = page_count if key.comic_id is None else self._page_count(key.comic_id)
        self._store.set_read(
            user.id,
            key,
            True,
            self._clock.now(),
            page_count=page_count,
            time_spent=time_spent,
            position=read_position(last_page),
        )

    def unmark(self, user: User, path: str) -> None:
        """Remove the read mark at ``path``; the position stays where it is."""
        self._store.set_read(user.id, self._key(user, path), False, self._clock.now())

    def since(
        self,
        user: User,
        *,
        ts: int = 0,
        cursor: str | None = None,
        page: PageRequest = FIRST_PAGE,
    ) -> Feed:
        """Changes at or after unix time ``ts``, or, given a ``cursor``, right after it (its
        first page; the cursor is where the client stopped)."""
        now = self._clock.now()
        if cursor:
            after = FeedCursor.decode(cursor)
            page = PageRequest(1, page.page_size)
        else:
            after = FeedCursor.since_unix(ts)
        found = self._store.changes(user.id, after, page)
        last = found.items[-1].cursor if found.items else after
        return Feed(found, last, now)

    @staticmethod
    def _live(found: ReadingProgress | None) -> ReadingProgress | None:
        return None if found is None or found.cleared else found

    def _comic_key(self, user: User, comic_id: int) -> ComicKey:
        # Callers name comics they have shown the user; checked again, as a comic can leave
        # the index or its library between the listing and the write.
        comic = self._index.comic(comic_id)
        if comic is None or not sees_library(self._libraries, user, comic.library_id):
            raise ComicNotFound("that comic is not in the library")
        return ComicKey(comic.path, comic.id)

    def _page_count(self, comic_id: int) -> int | None:
        # The key's lookup reads no metadata; a mark is rare enough to read it again. A comic
        # gone since counts as unknown, and the write then finds it gone.
        comic = self._index.comic(comic_id)
        return None if comic is None else comic.page_count

    def _key(self, user: User, path: str) -> ComicKey:
        if (
            not path
            or "\x00" in path
            or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES
        ):
            raise InvalidInput("path must be a comic's path")
        comic = self._index.place_at(path)
        if comic is None or not sees_library(self._libraries, user, comic.library_id):
            return ComicKey(path)
        return ComicKey(comic.path, comic.id)
