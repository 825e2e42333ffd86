"""``MemoryComicDocuments``: KOReader's document ids, answered from the memory index."""

from __future__ import annotations

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.ports.comic_documents import ComicDocuments, DocumentMatches

__all__ = ["MemoryComicDocuments"]


class MemoryComicDocuments(ComicDocuments):
    """Reads the ids ``MemoryLibraryIndex`` keeps with each comic; a search goes through
    every comic, which is what a memory index is for (tests, small setups)."""

    def __init__(self, index: MemoryLibraryIndex) -> None:
        self._index = index

    def find(self, document: str) -> DocumentMatches:
        # Every id KOReader makes is 32 lowercase hex digits, as the SQL adapter reads them.
        digest = document.lower()
        if len(digest) != 32:
            return DocumentMatches()
        documents = self._index.documents()
        content = sorted(
            comic_id
            for comic_id, ids in documents.items()
            if ids.content == digest or digest in ids.aliases
        )
        name = sorted(comic_id for comic_id, ids in documents.items() if ids.name == digest)
        return DocumentMatches(tuple(content), tuple(name))
