from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["ComicDocuments", "DocumentMatches"]


@dataclass(frozen=True, slots=True)
class DocumentMatches:
    """The indexed comics a KOReader document id names, ids ascending: those whose content
    has that partial MD5 now or had it before (an alias), and those whose file name has that
    MD5. Either may hold several comics (copies of one file, or one name in two folders)."""

    by_content: tuple[int, ...] = ()
    by_name: tuple[int, ...] = ()


class ComicDocuments(Protocol):
    """KOReader's document ids of indexed comics, written by the scan with the comics. (How
    KOReader's page order maps to a comic's is ``IndexedComic.kosync_pages``.)"""

    def find(self, document: str) -> DocumentMatches:
        """The comics ``document`` names, in every library (the caller checks what a user may
        see). Empty for an id no comic has."""
        ...
