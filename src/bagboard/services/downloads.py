"""A comic's own file, found by one lookup, handed to whatever serves the download."""

from __future__ import annotations

from bagboard.domain.catalog import IndexedComic
from bagboard.ports.comic_files import ComicFiles, FileVersion, OpenComicFile, ReadyFile

__all__ = ["ComicDownload"]


class ComicDownload:
    """The file of ``comic`` (which the user may see), inside the library folder ``root``.
    Its reads are *blocking*, but ``read_ready``: see ``ComicFiles``."""

    __slots__ = ("_files", "comic", "root")

    def __init__(self, comic: IndexedComic, root: str, files: ComicFiles) -> None:
        self.comic = comic
        self.root = root
        self._files = files

    def stat(self) -> FileVersion:
        """The file's current version; ``ComicNotFound`` when it is gone from disk."""
        return self._files.stat(self.comic.path, self.root)

    def read_whole(self, version: FileVersion) -> bytes | None:
        """The content of ``version``, or None when the file is no longer that version."""
        return self._files.read_whole(version)

    def open(self, version: FileVersion) -> OpenComicFile | None:
        """A handle on ``version`` (the caller closes it), or None as ``read_whole``."""
        return self._files.open(version)

    def read_ready(self, up_to: int) -> ReadyFile | None:
        """``stat`` and, up to ``up_to`` bytes, ``read_whole`` *without blocking*, when the
        file is in memory; None when only a worker thread can tell."""
        return self._files.read_ready(self.comic.path, self.root, up_to)
