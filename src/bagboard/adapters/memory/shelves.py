"""``MemoryShelves``: favorites and want-to-read held in a dictionary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bagboard.domain.errors import ComicNotFound
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfItem, ShelfKind
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.shelves import Shelves

__all__ = ["MemoryShelves"]


@dataclass(slots=True)
class _Entry:
    id: int
    user_id: int
    shelf: Shelf
    kind: ShelfKind
    path: str  # where the item was when added (see ``_free_path`` for when it changes)
    library_id: int
    comic_id: int | None
    created_at: datetime


class MemoryShelves(Shelves):
    """Follows the SQL adapter's rules, including how file entries track their comics.

    With ``index``, a file entry shows its comic's current path and disappears when the comic
    leaves the index (the SQL schema's ON DELETE CASCADE), and adding a comic the index no
    longer holds raises ``ComicNotFound``. Without one, entries keep the path they were
    added under.
    """

    def __init__(self, index: LibraryIndex | None = None) -> None:
        self._index = index
        self._entries: dict[int, _Entry] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, user_id: int, shelf: Shelf, item: ShelfItem, at: datetime) -> None:
        with self._lock:
            self._drop_removed_comics()
            if item.comic_id is not None:
                if self._index is not None and self._index.comic(item.comic_id) is None:
                    raise ComicNotFound("that comic is no longer in the library")
                if any(e.comic_id == item.comic_id for e in self._shelf(user_id, shelf)):
                    return
            if not self._free_path(user_id, shelf, item.path):
                return
            entry = _Entry(
                self._next_id,
                user_id,
                shelf,
                item.kind,
                item.path,
                item.library_id,
                item.comic_id,
                at,
            )
            self._entries[entry.id] = entry
            self._next_id += 1

    def remove(self, user_id: int, shelf: Shelf, path: str) -> None:
        with self._lock:
            for entry in list(self._shelf(user_id, shelf)):
                if path in (entry.path, self._current_path(entry)):
                    del self._entries[entry.id]

    def list(
        self, user_id: int, shelf: Shelf, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ShelfEntry]:
        with self._lock:
            self._drop_removed_comics()
            wanted = set(library_ids)
            views = [
                ShelfEntry(e.id, e.kind, self._current_path(e), e.created_at, e.comic_id)
                for e in self._shelf(user_id, shelf)
                if e.library_id in wanted
            ]
        if shelf is Shelf.FAVORITES:
            views.sort(key=lambda v: (natural_sort_text(v.name), v.id))
        else:
            views.sort(key=lambda v: (v.created_at, v.id), reverse=True)
        items = views[page.offset : page.offset + page.limit]
        return Page(items, len(views), page)

    def forget_user(self, user_id: int) -> None:
        """A removed user's entries go with it (they cascade in SQL)."""
        self._forget(lambda entry: entry.user_id == user_id)

    def forget_library(self, library_id: int) -> None:
        """The entries in a removed library go with it (they cascade in SQL)."""
        self._forget(lambda entry: entry.library_id == library_id)

    def _forget(self, gone: Callable[[_Entry], bool]) -> None:
        with self._lock:
            for entry in [e for e in self._entries.values() if gone(e)]:
                del self._entries[entry.id]

    def _shelf(self, user_id: int, shelf: Shelf) -> Iterable[_Entry]:
        return (e for e in self._entries.values() if e.user_id == user_id and e.shelf is shelf)

    def _current_path(self, entry: _Entry) -> str:
        if entry.comic_id is None or self._index is None:
            return entry.path
        comic = self._index.comic(entry.comic_id)
        return entry.path if comic is None else comic.path

    def _drop_removed_comics(self) -> None:
        if self._index is None:
            return
        index = self._index
        for entry in list(self._entries.values()):
            if entry.comic_id is not None and index.comic(entry.comic_id) is None:
                del self._entries[entry.id]

    def _free_path(self, user_id: int, shelf: Shelf, path: str) -> bool:
        """Whether ``path`` is free once stale file entries moved to their comics' paths.

        The SQL adapter keeps stored paths unique per shelf and moves a stale entry out of a
        new one's way, following a chain of them; this does the same so that ``remove`` by
        a stored path matches the same entries on both.
        """
        moves: list[tuple[_Entry, str]] = []
        seen = {path}
        current = path
        while True:
            holder = next((e for e in self._shelf(user_id, shelf) if e.path == current), None)
            if holder is None:
                break
            if holder.comic_id is None:
                if not moves:
                    return False
                del self._entries[holder.id]  # a folder that a comic has since replaced
                break
            moved_to = self._current_path(holder)
            if moved_to == current or moved_to in seen:
                return False
            moves.append((holder, moved_to))
            seen.add(moved_to)
            current = moved_to
        for holder, moved_to in reversed(moves):
            holder.path = moved_to
        return True
