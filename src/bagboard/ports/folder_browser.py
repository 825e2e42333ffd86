from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.browse import ComicRow, FolderRow, FolderShape
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["FolderBrowser"]


class FolderBrowser(Protocol):
    """Filesystem-mode reads over the index: folders and the comics directly inside them.

    Every list is ordered by natural name order (case-insensitive), then id, and paginated by
    the store. ``library_ids`` limits what is visible; an empty tuple sees nothing.
    """

    def publishers(self, library_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        """Folders directly under the library roots (depth 1), with their recursive counts,
        and each library root holding comics directly, counting those only
        (``domain.folder_layout``), in one list; an empty page when no library is visible or
        none holds a folder."""
        ...

    def named(
        self, library_ids: Sequence[int], parent_ids: Sequence[int] | None, name: str
    ) -> list[FolderRow]:
        """Folders called exactly ``name`` (case-sensitive): under ``parent_ids``, or among the
        publishers (as ``publishers`` lists them) when None; all of them in name order (not
        paginated). Empty when none matches or ``parent_ids`` is empty."""
        ...

    def at(self, library_ids: Sequence[int], path: str) -> FolderRow | None:
        """The visible folder at this absolute path; None when no indexed folder is there or
        its library is not among ``library_ids``."""
        ...

    def children(self, parent_ids: Sequence[int], page: PageRequest) -> Page[FolderRow]:
        """The folders directly inside any of ``parent_ids``, merged into one list; an empty
        page when ``parent_ids`` is empty or unknown. The parents were found through
        ``library_ids`` already, so visibility is not checked again."""
        ...

    def series(self, publishers: Sequence[FolderRow], page: PageRequest) -> Page[FolderRow]:
        """The series entries of these publisher folders, merged (``domain.folder_layout``):
        first each root or depth-1 folder among them that holds comics directly (its own
        series, counting those comics only, by ``row_key``); then the subfolders of those
        below the roots, by ``row_key``, each mixed series folder (depth 2, holding comics
        and subfolders) followed by the folders below it holding comics directly, named
        ``<series>/<path below it>``, in ``nested_key`` order. An empty page for none."""
        ...

    def shapes(self, paths: Sequence[str]) -> dict[str, FolderShape]:
        """For each indexed folder among ``paths``: the comics it holds directly, its
        subfolders, and for a series folder (depth 2) holding no comic directly the paths
        below it of the deeper folders holding comics (for volume detection). Unknown paths
        are left out."""
        ...

    def comics(self, folder_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        """Comics held directly in these folders (not in their subfolders), merged into one
        list by file name; an empty page when ``folder_ids`` is empty or unknown."""
        ...
