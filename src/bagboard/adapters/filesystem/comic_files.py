"""``LocalComicFiles``: comic files read from disk with ``pread``, one version at a time.

``read_ready`` answers on the event loop when nothing has to wait for the disk: the path was
looked at lately (its directory entries and inode are in memory, so ``stat`` and ``open`` take
microseconds) and every byte is in the page cache, which ``preadv2(RWF_NOWAIT)`` tells by
refusing (``EAGAIN``) rather than reading the disk (``adapters/nowait.py``). Anything else goes
to a worker thread, where a cold file costs a thread, never the loop; so does every file of a
file system that cannot tell (``EOPNOTSUPP``), once it has been found out.
"""

from __future__ import annotations

import os
import stat
import time
from typing import Final

from bagboard.adapters.nowait import NOWAIT, read_nowait
from bagboard.domain.errors import ComicNotFound, InvalidPath
from bagboard.ports.comic_files import (
    ComicFiles,
    FileVersion,
    OpenComicFile,
    ReadyFile,
    lies_inside,
)

__all__ = ["LocalComicFiles", "LocalOpenFile"]

# A path stat'ed less than this long ago is stat'ed and opened on the event loop.
WARM_SECONDS: Final = 60.0
# Paths remembered as warm; past this many the memory starts over (bounded and simple).
WARM_PATHS: Final = 4096
_OPEN_FLAGS: Final = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


class LocalOpenFile(OpenComicFile):
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def read_at(self, count: int, offset: int) -> bytes:
        if self._fd is None:
            return b""
        return os.pread(self._fd, count, offset)

    def read_ready(self, count: int, offset: int) -> bytes | None:
        if self._fd is None:
            return b""
        try:
            return read_nowait(self._fd, count, offset)
        except OSError:
            return None

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class LocalComicFiles(ComicFiles):
    def __init__(self) -> None:
        # path -> when it was last stat'ed (monotonic) and its device
        self._warm: dict[str, tuple[float, int]] = {}
        # Devices whose file system cannot tell what is in memory: never read on the loop.
        self._blind: set[int] = set()

    def stat(self, path: str, root: str) -> FileVersion:
        if not lies_inside(path, root):
            raise InvalidPath("the comic file is outside its library")
        try:
            info = os.stat(path)  # noqa: PTH116 - a plain path string is the index's currency
        except (FileNotFoundError, NotADirectoryError) as exc:
            self._warm.pop(path, None)
            raise ComicNotFound("the comic file is no longer on disk") from exc
        if not stat.S_ISREG(info.st_mode):
            raise ComicNotFound("the comic file is no longer on disk")
        if len(self._warm) >= WARM_PATHS:
            self._warm.clear()
        self._warm[path] = (time.monotonic(), info.st_dev)
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
            fd = os.open(version.path, _OPEN_FLAGS)
        except OSError:
            return None
        info = os.fstat(fd)
        if (info.st_size, info.st_mtime_ns) != (version.size, version.mtime_ns):
            os.close(fd)
            return None
        return LocalOpenFile(fd)

    def read_ready(self, path: str, root: str, up_to: int) -> ReadyFile | None:
        if not lies_inside(path, root):
            raise InvalidPath("the comic file is outside its library")
        seen = self._warm.get(path)
        now = time.monotonic()
        if not NOWAIT or seen is None or now - seen[0] > WARM_SECONDS or seen[1] in self._blind:
            return None
        # open and fstat, no stat first: one call less. O_NONBLOCK so that a FIFO put there
        # since cannot hold the loop; it is not a regular file and is refused below.
        try:
            fd = os.open(path, _OPEN_FLAGS | os.O_NONBLOCK)
        except (FileNotFoundError, NotADirectoryError) as exc:
            self._warm.pop(path, None)
            raise ComicNotFound("the comic file is no longer on disk") from exc
        except OSError:
            return None  # unreadable: the worker thread answers as it always did
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ComicNotFound("the comic file is no longer on disk")
            self._warm[path] = (now, info.st_dev)
            version = FileVersion(path, info.st_size, info.st_mtime_ns)
            if version.size > up_to:
                return ReadyFile(version, None)
            try:
                data = read_nowait(fd, version.size, 0)
            except OSError:  # this file system cannot tell: the loop never opens its files
                self._blind.add(info.st_dev)
                return None
        finally:
            os.close(fd)
        if data is None or len(data) != version.size:
            return None  # not all in memory, or truncated since: the worker thread decides
        return ReadyFile(version, data)
