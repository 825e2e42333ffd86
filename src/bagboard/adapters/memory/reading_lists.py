"""Reading lists (``ports/reading_lists.py``) in memory.

The SQL schema's foreign keys are followed by looking: a list whose owner ``users`` no longer
holds goes, as the cascade takes it, and with ``index`` an entry whose comic the index no longer
holds is unresolved again, as ON DELETE SET NULL leaves it. Neither store reuses ids, so a
missing id means a removed row, never a different one. Without ``index``, links are kept as
given.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import count

from bagboard.adapters.memory.browse_rows import comic_row
from bagboard.domain.browse import ComicRow
from bagboard.domain.errors import ComicNotFound, UserNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.readlists import ListBook, ReadingList, ReadingListEntry, list_key
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.reading_lists import ReadingLists
from bagboard.ports.user_store import UserStore

__all__ = ["MemoryReadingLists"]


@dataclass(slots=True)
class _List:
    header: ReadingList
    key: str
    entries: list[ReadingListEntry] = field(default_factory=list)

    def owns(self, owner_id: int | None, key: str) -> bool:
        return self.header.owner_id == owner_id and self.key == key


class MemoryReadingLists(ReadingLists):
    def __init__(self, users: UserStore, index: LibraryIndex | None = None) -> None:
        self._users = users
        self._index = index
        self._lists: dict[int, _List] = {}
        self._ids = count(1)
        self._lock = threading.Lock()

    def save(
        self,
        owner_id: int | None,
        name: str,
        summary: str,
        books: Sequence[tuple[ListBook, int | None]],
        now: datetime,
    ) -> ReadingList:
        if owner_id is not None and self._users.get(owner_id) is None:
            raise UserNotFound("no such user")
        if now.tzinfo is None:
            raise ValueError("naive datetimes cannot be stored; attach a time zone")
        now = now.astimezone(UTC)
        key = list_key(name)
        entries = [
            ReadingListEntry(position, book, self._indexed(comic_id))
            for position, (book, comic_id) in enumerate(books, start=1)
        ]
        with self._lock:
            self._prune()
            found = next((kept for kept in self._lists.values() if kept.owns(owner_id, key)), None)
            if found is None:
                header = ReadingList(next(self._ids), name, summary, owner_id, now, now)
                found = self._lists[header.id] = _List(header, key)
            else:
                found.header = replace(found.header, name=name, summary=summary, updated_at=now)
            found.entries = entries
            return _counted(found)

    def lists(self, user_id: int | None) -> list[ReadingList]:
        with self._lock:
            self._prune()
            shown = [
                kept
                for kept in self._lists.values()
                if user_id is None or kept.header.owner_id in (None, user_id)
            ]
            shown.sort(key=lambda kept: (kept.key, kept.header.id))
            return [_counted(kept) for kept in shown]

    def get(self, list_id: int) -> ReadingList | None:
        with self._lock:
            self._prune()
            kept = self._lists.get(list_id)
            return None if kept is None else _counted(kept)

    def entries(self, list_id: int, page: PageRequest) -> Page[ReadingListEntry]:
        with self._lock:
            self._prune()
            kept = self._lists.get(list_id)
            entries = [] if kept is None else list(kept.entries)
        return Page(entries[page.offset : page.offset + page.limit], len(entries), page)

    def linked(self, list_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        shown = self._linked(list_id, library_ids)
        return Page(shown[page.offset : page.offset + page.limit], len(shown), page)

    def _linked(self, list_id: int, library_ids: Sequence[int]) -> list[ComicRow]:
        """Every comic the list links to in ``library_ids``, in list order, each once."""
        return self._many_linked([list_id], library_ids).get(list_id, [])

    def _many_linked(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, list[ComicRow]]:
        """``_linked`` of each list (none for a list linking to nothing there), pruning once."""
        with self._lock:
            self._prune()
            linked = {
                list_id: [e.comic_id for e in kept.entries if e.comic_id]
                for list_id in dict.fromkeys(list_ids)
                if (kept := self._lists.get(list_id)) is not None
            }
        wanted = set(library_ids)
        every = [comic_id for ids in linked.values() for comic_id in ids]
        found = self._index.comics(every) if self._index is not None and every else {}
        shown: dict[int, list[ComicRow]] = {}
        for list_id, ids in linked.items():
            rows: dict[int, ComicRow] = {}
            for comic_id in ids:
                comic = found.get(comic_id)
                if comic is not None and comic.library_id in wanted and comic_id not in rows:
                    rows[comic_id] = comic_row(comic)
            if rows:
                shown[list_id] = list(rows.values())
        return shown

    def linked_ids(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, list[int]]:
        return {
            list_id: [row.id for row in rows]
            for list_id, rows in self._many_linked(list_ids, library_ids).items()
        }

    def linked_counts(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, tuple[int, int]]:
        return {
            list_id: (len(ids), ids[0])
            for list_id, ids in self.linked_ids(list_ids, library_ids).items()
        }

    def containing(self, comic_id: int) -> list[int]:
        with self._lock:
            self._prune()
            return sorted(
                list_id
                for list_id, kept in self._lists.items()
                if any(entry.comic_id == comic_id for entry in kept.entries)
            )

    def containing_any(self, comic_ids: Sequence[int]) -> list[int]:
        wanted = set(comic_ids)
        with self._lock:
            self._prune()
            return sorted(
                list_id
                for list_id, kept in self._lists.items()
                if any(entry.comic_id in wanted for entry in kept.entries)
            )

    def remove(self, list_id: int) -> bool:
        with self._lock:
            self._prune()
            return self._lists.pop(list_id, None) is not None

    def unresolved(self) -> list[tuple[int, ReadingListEntry]]:
        with self._lock:
            self._prune()
            return [
                (list_id, entry)
                for list_id in sorted(self._lists)
                for entry in self._lists[list_id].entries
                if entry.comic_id is None
            ]

    def resolve(self, list_id: int, position: int, comic_id: int) -> None:
        with self._lock:
            self._prune()
            kept = self._lists.get(list_id)
            if kept is None or all(entry.position != position for entry in kept.entries):
                return  # as an UPDATE of no row: not even the comic is checked
            if self._indexed(comic_id) is None:
                raise ComicNotFound("that comic is no longer in the library")
            kept.entries = [
                replace(entry, comic_id=comic_id) if entry.position == position else entry
                for entry in kept.entries
            ]

    def _indexed(self, comic_id: int | None) -> int | None:
        """``comic_id`` while the index holds the comic; None once it left (or was never)."""
        if comic_id is None or self._index is None or self._index.comic(comic_id) is not None:
            return comic_id
        return None

    def _prune(self) -> None:
        """Drop the lists of removed users and unlink the entries of removed comics."""
        for list_id, kept in list(self._lists.items()):
            owner_id = kept.header.owner_id
            if owner_id is not None and self._users.get(owner_id) is None:
                del self._lists[list_id]
                continue
            if any(self._indexed(e.comic_id) != e.comic_id for e in kept.entries):
                kept.entries = [
                    replace(e, comic_id=self._indexed(e.comic_id)) for e in kept.entries
                ]


def _counted(kept: _List) -> ReadingList:
    resolved = sum(1 for entry in kept.entries if entry.comic_id is not None)
    return replace(kept.header, entries=len(kept.entries), resolved=resolved)
