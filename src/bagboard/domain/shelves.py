"""Favorites and want-to-read: per-user shelves of folders and comics."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Shelf", "ShelfEntry", "ShelfItem", "ShelfKind"]


class Shelf(StrEnum):
    FAVORITES = "favorites"
    TO_READ = "to_read"


class ShelfKind(StrEnum):
    FILE = "file"
    FOLDER = "folder"


@dataclass(frozen=True, slots=True)
class ShelfItem:
    """What goes on a shelf: an indexed comic (``comic_id``) or an indexed folder."""

    kind: ShelfKind
    path: str
    library_id: int
    comic_id: int | None = None


@dataclass(frozen=True, slots=True)
class ShelfEntry:
    id: int
    kind: ShelfKind
    path: str  # a file entry's current path, which follows its comic
    created_at: datetime
    comic_id: int | None = None

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)
