"""A small LRU of open archives, so reading a comic page by page does not reopen it each time.

Opening parses the archive's directory (for RAR and 7z, the whole header chain), which costs
more than reading one page. A handle is *checked out* while a request reads from it and put
back afterwards: no two threads ever share one (rarfile and py7zr handles are not thread-safe),
concurrent readers of the same comic simply open a second handle, and only idle handles are
ever closed. A handle is keyed by the file's identity, so a changed file is reopened.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bagboard.adapters.archive.source import MemberSource
from bagboard.domain.archive import ArchiveFormat

__all__ = ["OpenArchives", "Opened"]

Opened = tuple[ArchiveFormat, MemberSource]
_Identity = tuple[int, int, int, int]  # device, inode, size, mtime


def _identity(path: str) -> _Identity:
    info = os.stat(path)  # noqa: PTH116 - a plain path string is the port's currency
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class OpenArchives:
    def __init__(self, capacity: int, opener: Callable[[str], Opened]) -> None:
        self._capacity = capacity
        self._opener = opener
        # Idle handles, least recently used first; a comic read by several requests at once
        # may have several. The list stays short (``capacity``), so a scan finds one.
        self._idle: list[tuple[str, _Identity, Opened]] = []
        self._lock = threading.Lock()
        self.opened = 0  # how many times an archive was really opened (for tests and stats)

    @contextmanager
    def use(self, path: str) -> Iterator[Opened]:
        """An open archive for the duration of the block; errors inside discard it."""
        identity = _identity(path)
        with self._lock:
            mine = [i for i, (idle_path, _, _) in enumerate(self._idle) if idle_path == path]
            fresh = [i for i in mine if self._idle[i][1] == identity]
            taken = {i for i in mine if i not in fresh} | set(fresh[-1:])
            stale = [self._idle[i][2] for i in mine if i not in fresh]
            handle = self._idle[fresh[-1]][2] if fresh else None
            self._idle = [entry for i, entry in enumerate(self._idle) if i not in taken]
        for _, source in stale:
            source.close()
        if handle is None:
            handle = self._opener(path)
            with self._lock:
                self.opened += 1
        with self._lent(path, identity, handle):
            yield handle

    @contextmanager
    def idle(self, path: str) -> Iterator[Opened | None]:
        """``use``, but with an archive kept open only: None when none is (opening one reads
        its directory from the disk, which the caller must not wait for)."""
        identity = _identity(path)
        with self._lock:
            found = next(
                (i for i, (p, known, _) in enumerate(self._idle) if (p, known) == (path, identity)),
                None,
            )
            handle = None if found is None else self._idle.pop(found)[2]
        if handle is None:
            yield None
            return
        with self._lent(path, identity, handle):
            yield handle

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, _, (_, source) in idle:
            source.close()

    @contextmanager
    def _lent(self, path: str, identity: _Identity, handle: Opened) -> Iterator[None]:
        """While a caller reads ``handle``: closed when the read fails, else idle again."""
        try:
            yield
        except BaseException:
            handle[1].close()
            raise
        self._release(path, identity, handle)

    def _release(self, path: str, identity: _Identity, handle: Opened) -> None:
        with self._lock:
            self._idle.append((path, identity, handle))
            evicted = self._idle[: max(0, len(self._idle) - self._capacity)]
            del self._idle[: len(evicted)]
        for _, _, (_, source) in evicted:
            source.close()
