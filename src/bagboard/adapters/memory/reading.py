"""``MemoryReadingStates``: saved pages and read marks held in dictionaries."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bagboard.domain.browse import ReadingState
from bagboard.domain.errors import ComicNotFound
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.reading_states import ReadingStates


@dataclass(frozen=True, slots=True)
class _Progress:
    page_number: int
    updated_at: datetime


class MemoryReadingStates(ReadingStates):
    """Keyed by comic id, as the SQL adapter finds its rows, so a moved comic keeps its state.

    With ``index``, comics the index no longer holds are left out of ``states`` (the SQL rows
    lose their comic id) and writing for one raises ``ComicNotFound``. Without one, every id
    is taken as an indexed comic.
    """

    def __init__(self, index: LibraryIndex | None = None) -> None:
        self._index = index
        self._progress: dict[tuple[int, int], _Progress] = {}
        self._read: dict[tuple[int, int], datetime] = {}
        self._lock = threading.Lock()

    def states(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
        found: dict[int, ReadingState] = {}
        with self._lock:
            for comic_id in set(comic_ids):
                progress = self._progress.get((user_id, comic_id))
                is_read = (user_id, comic_id) in self._read
                if (progress is None and not is_read) or not self._indexed(comic_id):
                    continue
                last_page = None if progress is None else progress.page_number
                found[comic_id] = ReadingState(last_page=last_page, is_read=is_read)
        return found

    def save_page(self, user_id: int, comic_id: int, page_number: int, at: datetime) -> None:
        with self._lock:
            self._require(comic_id)
            self._progress[user_id, comic_id] = _Progress(page_number, at)

    def mark_read(self, user_id: int, comic_id: int, at: datetime) -> None:
        with self._lock:
            self._require(comic_id)
            self._read[user_id, comic_id] = at

    def _indexed(self, comic_id: int) -> bool:
        return self._index is None or self._index.comic(comic_id) is not None

    def _require(self, comic_id: int) -> None:
        if not self._indexed(comic_id):
            raise ComicNotFound("that comic is not in the library")
