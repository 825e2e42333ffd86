from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.readlists import ListBook, ReadingList, ReadingListEntry

__all__ = ["ReadingLists"]


class ReadingLists(Protocol):
    """Reading lists and their entries. A user's own lists go with the user; an entry's
    comic link is cleared (the entry becomes unresolved) when its comic leaves the index.

    SQL stores raise ``StorageUnavailable`` when the database is locked or unreachable.
    """

    def save(
        self,
        owner_id: int | None,
        name: str,
        summary: str,
        books: Sequence[tuple[ListBook, int | None]],
        now: datetime,
    ) -> ReadingList:
        """Create the list, or replace the entries and summary of the owner's list with the
        same ``domain.readlists.list_key`` (a re-import): one list whatever the number of
        imports. ``books`` in list order, each with the comic it matched (None: none)."""
        ...

    def lists(self, user_id: int | None) -> list[ReadingList]:
        """The lists ``user_id`` owns and the shared ones (None: every list), by name key."""
        ...

    def get(self, list_id: int) -> ReadingList | None:
        """The list's header; None when there is no such list."""
        ...

    def entries(self, list_id: int, page: PageRequest) -> Page[ReadingListEntry]:
        """A page of the list's entries in position order; empty for an unknown list."""
        ...

    def linked(self, list_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        """A page of the comics the list links to in ``library_ids``, in list order, each
        comic once (at its first position): the list as a reader reads it. Unresolved entries
        and comics of other libraries are left out."""
        ...

    def linked_ids(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, list[int]]:
        """The ids of the comics each of ``list_ids`` links to in ``library_ids``, in list
        order, each once: every page of ``linked`` at once, for many lists in one read. A list
        linking to none there (or unknown) is left out."""
        ...

    def linked_counts(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, tuple[int, int]]:
        """For each of ``list_ids`` linking to a comic in ``library_ids``: how many such
        comics (``linked``'s total) and the first of them (its first item), in one read
        whatever the number of lists. A list linking to none there (or unknown) is left out."""
        ...

    def containing(self, comic_id: int) -> list[int]:
        """The ids of every list (whoever owns it) with an entry linked to the comic, in
        ascending order."""
        ...

    def containing_any(self, comic_ids: Sequence[int]) -> list[int]:
        """``containing`` for many comics at once: the ids of every list with an entry linked
        to any of them, in ascending order."""
        ...

    def remove(self, list_id: int) -> bool:
        """Delete the list and its entries; False when there was none."""
        ...

    def unresolved(self) -> list[tuple[int, ReadingListEntry]]:
        """Every unresolved entry of every list, as ``(list id, entry)``, by list then
        position: what a scan tries to match again."""
        ...

    def resolve(self, list_id: int, position: int, comic_id: int) -> None:
        """Point an entry at the comic that now matches it."""
        ...
