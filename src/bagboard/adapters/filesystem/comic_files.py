"""``LocalComicFiles``: comic files read from disk with ``pread``, one version at a time."""

from __future__ import annotations

import os
import stat

from bagboard.domain.errors import ComicNotFound, InvalidPath
from bagboard.ports.comic_files import ComicFiles, FileVersion, OpenComicFile, lies_inside

__all__ = ["LocalComicFiles", "LocalOpenFile"]


class LocalOpenFile(OpenComicFile):
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def read_at(self, count: int, offset: int) -> bytes:
        if self._fd is None:
            return b""
        return os.pread(self._fd, count, offset)

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class LocalComicFiles(ComicFiles):
    def stat(self, path: str, root: str) -> FileVersion:
        if not lies_inside(path, root):
            raise InvalidPath("the comic file is outside its library")
        try:
            info = os.stat(path)  # noqa: PTH116 - a plain path string is the index's currency
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ComicNotFound("the comic file is no longer on disk") from exc
        if not stat.S_ISREG(info.st_mode):
            raise ComicNotFound("the comic file is no longer on disk")
        return FileVersion(path, info.st_size, info.st_mtime_ns)

    def read_whole(self, version: FileVersion) -> bytes | None:
        handle = self.open(version)
        if handle is None:
            return None  # changed meanwhile: the caller streams, re-checks and ends short
        try:
            parts = []
            position = 0
            while position < version.size:
                chunk = handle.read_at(version.size - position, position)
                if not chunk:
                    return None  # truncated while read: as above
                parts.append(chunk)
                position += len(chunk)
        finally:
            handle.close()
        return b"".join(parts)

    def open(self, version: FileVersion) -> LocalOpenFile | None:
        try:
            fd = os.open(version.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        info = os.fstat(fd)
        if (info.st_size, info.st_mtime_ns) != (version.size, version.mtime_ns):
            os.close(fd)
            return None
        return LocalOpenFile(fd)
