"""``MemoryPageCatalog``: measured page lists in a dictionary."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from bagboard.domain.images import FileStamp, PageInfo
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.page_catalog import PageCatalog

__all__ = ["MemoryPageCatalog"]


class MemoryPageCatalog(PageCatalog):
    """With ``index``, lists of comics the index no longer holds are forgotten, as the SQL
    rows go with their comic; without one, every id counts as indexed."""

    def __init__(self, index: LibraryIndex | None = None) -> None:
        self._index = index
        self._lists: dict[int, tuple[FileStamp, tuple[PageInfo, ...]]] = {}
        self._lock = threading.Lock()

    def pages(self, comic_id: int, stamp: FileStamp) -> tuple[PageInfo, ...] | None:
        with self._lock:
            found = self._lists.get(comic_id)
        if found is None or found[0] != stamp or not self._indexed(comic_id):
            return None
        return found[1]

    def save(self, comic_id: int, stamp: FileStamp, pages: Sequence[PageInfo]) -> None:
        if not self._indexed(comic_id):
            return
        with self._lock:
            self._lists[comic_id] = (stamp, tuple(pages))

    def _indexed(self, comic_id: int) -> bool:
        return self._index is None or self._index.comic(comic_id) is not None
