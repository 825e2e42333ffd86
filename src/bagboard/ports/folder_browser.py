from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.browse import ComicRow, FolderRow, FolderShape
from bagboard.domain.pagination import Page, PageRequest


class FolderBrowser(Protocol):
    """Filesystem-mode reads over the index: folders and the comics directly inside them.

    Every list is ordered by natural name order (case-insensitive), then id, and paginated by
    the store. ``library_ids`` limits what is visible; an empty tuple sees nothing.
    """

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        """Folders directly under the library roots (depth 1)."""
        ...

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        """Folders called exactly ``name``: under ``parent_ids``, or at depth 1 when None."""
        ...

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        """The visible folder at this absolute path."""
        ...

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]: ...

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        """For each indexed folder among ``paths``: the comics it holds directly and its
        subfolders (for volume detection). Unknown paths are left out."""
        ...

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        """Comics held directly in these folders."""
        ...
