"""Publication entries as rendered, kept by everything they show, for feeds asked for again
and again (a reader paging back and forth, several readers on one series).

An entry shows the comic's file (its path, size, time, format and page count), the ComicInfo
texts read from it, the user's position in it and the server's base URL: the key holds each
of them, so a kept entry is exact for as long as it is kept, whatever changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from operator import attrgetter
from typing import Generic, TypeVar

from bagboard.adapters.http.opds.base_url import Links
from bagboard.domain.comicinfo import STRING_FIELDS
from bagboard.services.issues import IssueDetail

__all__ = ["EntryCache"]

V = TypeVar("V")

# Entries kept per rendering; an entry is a kilobyte or so.
_SIZE = 8192
_TEXTS = attrgetter(*STRING_FIELDS)


class EntryCache(Generic[V]):
    def __init__(self, size: int = _SIZE) -> None:
        self._size = size
        self._entries: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, links: Links, detail: IssueDetail, render: Callable[[], V]) -> V:
        """The entry of ``detail`` below ``links``, rendered by ``render`` when not kept."""
        comic, progress, info = detail.comic, detail.progress, detail.comic.comic_info
        key = (
            links.base,
            comic.id,
            comic.path,
            comic.size,
            comic.mtime_ns,
            comic.format,
            comic.page_count,
            comic.error,  # an unreadable archive's entry offers less
            None if info is None else _TEXTS(info),
            None if progress is None else (progress.page_number, progress.updated_at),
        )
        found = self._entries.get(key)
        if found is not None:
            return found
        value = render()
        with self._lock:
            if len(self._entries) >= self._size:
                # Bounded and simple: a full cache starts over rather than tracking recency.
                self._entries.clear()
            self._entries[key] = value
        return value
