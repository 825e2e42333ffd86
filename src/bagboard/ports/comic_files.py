"""Reading a comic's own file, byte for byte, as a download serves it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import blake2b
from typing import Protocol

__all__ = ["ComicFiles", "FileVersion", "OpenComicFile", "ReadyFile", "lies_inside"]


@dataclass(frozen=True, slots=True)
class FileVersion:
    """A file as stat'ed before answering: a response's headers describe this version, and its
    body is read only while the file still is this version."""

    path: str
    size: int
    mtime_ns: int

    @property
    def etag(self) -> str:
        digest = blake2b(f"{self.size}:{self.mtime_ns}".encode(), digest_size=12).hexdigest()
        return f'"{digest}"'

    @property
    def last_modified(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns // 1_000_000_000, tz=UTC)


class OpenComicFile(Protocol):
    """One opened version of a comic file, read at offsets (several ranges of one response
    share it). Not shared between threads at once; closed by whoever opened it."""

    def read_at(self, count: int, offset: int) -> bytes:
        """Up to ``count`` bytes from ``offset``: fewer only at the end of the file, and
        ``b""`` at or past it (a file truncated while read ends short, it never raises)."""
        ...

    def read_ready(self, count: int, offset: int) -> bytes | None:
        """``read_at`` done now if its bytes are all in memory (the page cache), *not blocking*
        so it may run on the event loop; ``None`` when it would wait for a disk (then call
        ``read_at`` in a worker thread)."""
        ...

    def close(self) -> None:
        """Release the file; closing twice is harmless."""
        ...


class ComicFiles(Protocol):
    """The comic files of the libraries, opened for reading and never written.

    Every method is *blocking* (call it from a worker thread). A version is identified by size
    and modification time: once the file changes or goes, reads of the old version find
    nothing (``None``) rather than mix two versions in one response.
    """

    def stat(self, path: str, root: str) -> FileVersion:
        """The current version of the file at ``path``, which must lie inside the library
        folder ``root`` (both absolute). ``InvalidPath`` when ``path`` is outside ``root`` (or
        climbs out of it with ``..``); ``ComicNotFound`` when no regular file is there."""
        ...

    def read_whole(self, version: FileVersion) -> bytes | None:
        """The whole content of ``version``; ``None`` when the file is no longer that version
        (changed, gone, or truncated while read)."""
        ...

    def open(self, version: FileVersion) -> OpenComicFile | None:
        """A handle on ``version`` for ``read_at``; ``None`` when the file is no longer that
        version. The caller closes it."""
        ...

    def read_ready(self, path: str, root: str, up_to: int) -> ReadyFile | None:
        """``stat`` and, when the file has at most ``up_to`` bytes, ``read_whole``, done now
        only if neither has to wait for a disk: *not blocking*, it may run on the event loop.
        ``None`` when that cannot be known (the file was not looked at lately, its bytes are
        not all in memory, it changed while read): then ask ``stat`` and ``read_whole`` in a
        worker thread. ``InvalidPath`` and ``ComicNotFound`` as ``stat``."""
        ...


@dataclass(frozen=True, slots=True)
class ReadyFile:
    """What ``ComicFiles.read_ready`` found: the version, and its content when it was small
    enough to be read (``None``: larger than asked for)."""

    version: FileVersion
    data: bytes | None


def lies_inside(path: str, root: str) -> bool:
    """The containment rule of ``ComicFiles.stat``: ``path``, read as written (``..`` and
    ``.`` resolved textually, links not followed), is ``root`` or below it."""
    if not path.startswith("/") or not root.startswith("/"):
        return False
    clean, base = posixpath.normpath(path), posixpath.normpath(root)
    return clean != base and clean.startswith(base.rstrip("/") + "/")
