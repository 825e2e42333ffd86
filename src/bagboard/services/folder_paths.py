"""What the ``publisher``, ``series`` and ``volume`` parts of a filesystem-mode request stand
for (contract §4.4): the folders a value listed by ``/library/publishers`` or ``/library/series``
(or a ``volumes`` entry) names, or the folder at an absolute path the API returned.

A value resolves to the entries listed under it (``domain.folder_layout``): a publisher's own
series by its name, a subfolder by its name, a nested series or a deeper volume by its path
(``Watchmen/Extras``, ``Arc 1/v2``), walked one name at a time. Equal values in several
libraries resolve to all of them, merged, as the reference merges them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from bagboard.domain.browse import SERIES_DEPTH, FolderRow, Scope, check_path_part
from bagboard.domain.errors import InvalidPath
from bagboard.domain.folder_layout import has_own_series, lists_children, path_parts
from bagboard.ports.folder_browser import FolderBrowser

__all__ = ["FolderPaths"]


class FolderPaths:
    def __init__(self, folders: FolderBrowser) -> None:
        self._folders = folders

    def publishers(self, scope: Scope, raw: str) -> list[FolderRow]:
        """The publisher folders (or roots) ``raw`` names, or the folder at its path."""
        check_path_part(raw)
        if raw.startswith("/"):
            return self._at(scope, raw)
        return self._folders.named(scope.library_ids, None, raw)

    def series(self, scope: Scope, publishers: Sequence[FolderRow], raw: str) -> list[FolderRow]:
        """The series folders ``raw`` names under ``publishers``: a publisher itself by its
        own name (its own series), subfolders by name, nested series by their path."""
        check_path_part(raw)
        if raw.startswith("/"):
            return self._at(scope, raw)
        parts = path_parts(raw)
        own = [p for p in publishers if has_own_series(p) and [p.name] == parts]
        below = self._walk(scope, [p for p in publishers if lists_children(p)], parts)
        return own + [row for row in below if row not in own]

    def volumes(self, scope: Scope, series: Sequence[FolderRow], raw: str) -> list[FolderRow]:
        """The volume folders ``raw`` names (a name, or a path below the series folder)."""
        check_path_part(raw)
        if raw.startswith("/"):
            return self._at(scope, raw)
        # A publisher's own series has no volumes: its subfolders are series of their own.
        return self._walk(scope, [s for s in series if s.depth >= SERIES_DEPTH], path_parts(raw))

    def _walk(self, scope: Scope, parents: list[FolderRow], parts: list[str]) -> list[FolderRow]:
        if not parts:
            return []
        for part in parts:
            if not parents:
                return []
            parents = self._folders.named(scope.library_ids, [p.id for p in parents], part)
        return parents

    def _at(self, scope: Scope, raw: str) -> list[FolderRow]:
        # An absolute path outside the visible libraries is refused, not just unknown.
        path = posixpath.normpath(raw)
        if not scope.contains(path):
            raise InvalidPath("invalid path")
        row = self._folders.at(scope.library_ids, path)
        return [row] if row is not None else []
