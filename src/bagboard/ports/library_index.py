from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.catalog import (
    ComicPlace,
    IndexChanges,
    IndexedComic,
    IndexSnapshot,
    IndexSummary,
)

__all__ = ["LibraryIndex"]


class LibraryIndex(Protocol):
    """The persistent index of folders and comics, written by the scanner.

    Ids are assigned by the index and never reused for another comic; a moved comic keeps its
    id. Removed comics are recorded with their removal time so a sync feed can report them.
    """

    def snapshot(self, library_id: int) -> IndexSnapshot:
        """Every indexed folder and comic of a library, for the incremental scan to compare."""
        ...

    def summary(self, library_id: int) -> IndexSummary:
        """The library's counts and last scan, without reading its comics (the status
        pages); all zero and None for a library the index knows nothing of."""
        ...

    def apply(self, library_id: int, changes: IndexChanges, at: datetime) -> None:
        """Write one batch atomically: all of it or nothing. ``at`` is the write time."""
        ...

    def finish_scan(self, library_id: int, at: datetime) -> None:
        """Record that a complete scan of the library ended at ``at``."""
        ...

    def comic(self, comic_id: int) -> IndexedComic | None:
        """The indexed comic with that id, with its metadata and the library it belongs to;
        None when the index does not hold it (never indexed, or removed). Ids are read as
        given: checking who may see the comic is the caller's business."""
        ...

    def comics(self, ids: Sequence[int]) -> dict[int, IndexedComic]:
        """``comic`` for many ids at once, in one round trip (a feed page details fifty
        comics); ids the index does not hold are left out."""
        ...

    def comic_at(self, path: str) -> IndexedComic | None:
        """The indexed comic whose file is at ``path`` (absolute, as the scan wrote it; no
        normalisation is applied), or None."""
        ...

    def place_at(self, path: str) -> ComicPlace | None:
        """The comic at ``path`` as ``comic_at`` finds it, without its metadata: cheaper, for
        the writes that only key something to it."""
        ...
