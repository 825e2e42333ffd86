"""``MemoryComicFiles``: comic files held in memory, for tests and library use without a disk."""

from __future__ import annotations

import threading

from bagboard.domain.errors import ComicNotFound, InvalidPath
from bagboard.ports.comic_files import (
    ComicFiles,
    FileVersion,
    OpenComicFile,
    ReadyFile,
    lies_inside,
)

__all__ = ["MemoryComicFiles", "MemoryOpenFile"]

_SECOND_NS = 1_000_000_000


class MemoryOpenFile(OpenComicFile):
    """A handle on one version: it keeps reading that version's bytes, as an open descriptor
    keeps reading the inode it opened."""

    def __init__(self, data: bytes) -> None:
        self._data: bytes | None = data

    def read_at(self, count: int, offset: int) -> bytes:
        if self._data is None:
            return b""
        return self._data[offset : offset + count]

    def read_ready(self, count: int, offset: int) -> bytes | None:
        return self.read_at(count, offset)  # memory is always ready

    def close(self) -> None:
        self._data = None


class MemoryComicFiles(ComicFiles):
    """Files by absolute path; every write gets a fresh modification time."""

    def __init__(self, *, start_ns: int = 1_600_000_000 * _SECOND_NS) -> None:
        self._files: dict[str, tuple[bytes, int]] = {}
        self._now_ns = start_ns
        self._lock = threading.Lock()

    def write(self, path: str, data: bytes) -> None:
        """Create or replace the file at ``path``."""
        with self._lock:
            self._now_ns += _SECOND_NS
            self._files[path] = (data, self._now_ns)

    def remove(self, path: str) -> None:
        with self._lock:
            self._files.pop(path, None)

    def stat(self, path: str, root: str) -> FileVersion:
        if not lies_inside(path, root):
            raise InvalidPath("the comic file is outside its library")
        with self._lock:
            found = self._files.get(path)
        if found is None:
            raise ComicNotFound("the comic file is no longer on disk")
        return FileVersion(path, len(found[0]), found[1])

    def read_whole(self, version: FileVersion) -> bytes | None:
        return self._current(version)

    def open(self, version: FileVersion) -> MemoryOpenFile | None:
        data = self._current(version)
        return None if data is None else MemoryOpenFile(data)

    def read_ready(self, path: str, root: str, up_to: int) -> ReadyFile | None:
        version = self.stat(path, root)
        if version.size > up_to:
            return ReadyFile(version, None)
        data = self._current(version)
        return None if data is None else ReadyFile(version, data)

    def _current(self, version: FileVersion) -> bytes | None:
        with self._lock:
            found = self._files.get(version.path)
        if found is None or (len(found[0]), found[1]) != (version.size, version.mtime_ns):
            return None
        return found[0]
