from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfItem

__all__ = ["Shelves"]


class Shelves(Protocol):
    """Each user's favorites and want-to-read lists."""

    def add(self, user_id: int, shelf: Shelf, item: ShelfItem, at: datetime) -> None:
        """Put ``item`` on the shelf; adding it again keeps the first time (idempotent)."""
        ...

    def remove(self, user_id: int, shelf: Shelf, path: str) -> None:
        """Take the entry at ``path`` off the shelf; nothing happens when it is not there."""
        ...

    def list(
        self, user_id: int, shelf: Shelf, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ShelfEntry]:
        """Entries inside the given libraries. Favorites: by name, natural and
        case-insensitive; to-read: newest first. Ties by id. A file entry follows its comic
        when it moves; one whose comic left the index is not listed."""
        ...
