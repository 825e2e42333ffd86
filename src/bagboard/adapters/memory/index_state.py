"""What ``MemoryLibraryIndex`` holds, and the rule by which it keeps KOReader's ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from bagboard.domain.catalog import ComicEntry, IndexedComic, KnownFolder
from bagboard.domain.kosync import name_md5

__all__ = ["DocumentIds", "IndexContents", "IndexState", "RemovedComic", "document_ids"]


class RemovedComic(NamedTuple):
    comic_id: int
    library_id: int
    path: str
    removed_at: datetime


class DocumentIds(NamedTuple):
    """KOReader's ids of one comic, as the SQL index keeps them in ``comics.kosync_md5``,
    ``comics.name_md5`` and ``comic_document_aliases``: None before a scan filled them."""

    content: str | None
    name: str | None
    aliases: frozenset[str] = frozenset()


class IndexContents(NamedTuple):
    """A read-only view of the whole index at one instant, for the browse adapters."""

    folders: Mapping[str, KnownFolder]  # by path
    folder_library: Mapping[str, int]  # folder path -> library id
    comics: Mapping[int, IndexedComic]  # by id


@dataclass(slots=True)
class IndexState:
    """Everything a ``MemoryLibraryIndex`` holds; ``apply`` changes a copy, then swaps it in."""

    folders: dict[str, KnownFolder] = field(default_factory=dict)
    folder_library: dict[str, int] = field(default_factory=dict)
    comics: dict[int, IndexedComic] = field(default_factory=dict)
    fingerprints: dict[int, str] = field(default_factory=dict)
    documents: dict[int, DocumentIds] = field(default_factory=dict)
    comic_paths: dict[str, int] = field(default_factory=dict)
    written: dict[int, datetime] = field(default_factory=dict)  # a comic's last write time
    removed: list[RemovedComic] = field(default_factory=list)
    last_scan: dict[int, datetime] = field(default_factory=dict)
    next_folder_id: int = 1
    next_comic_id: int = 1

    def copy(self) -> IndexState:
        # Shallow copies are enough: every stored value is a frozen dataclass.
        return IndexState(
            folders=dict(self.folders),
            folder_library=dict(self.folder_library),
            comics=dict(self.comics),
            fingerprints=dict(self.fingerprints),
            documents=dict(self.documents),
            comic_paths=dict(self.comic_paths),
            written=dict(self.written),
            removed=list(self.removed),
            last_scan=dict(self.last_scan),
            next_folder_id=self.next_folder_id,
            next_comic_id=self.next_comic_id,
        )


def document_ids(known: DocumentIds | None, entry: ComicEntry) -> DocumentIds:
    """A written comic's ids: its name's from its path; its content's as read, else as known,
    the content id it had before kept as an alias when they differ."""
    if known is None:
        return DocumentIds(entry.kosync_md5, name_md5(entry.path))
    content = entry.kosync_md5 or known.content
    aliases = set(known.aliases)
    if known.content is not None and content != known.content:
        aliases.add(known.content)
    aliases.discard(content or "")
    return DocumentIds(content, name_md5(entry.path), frozenset(aliases))
