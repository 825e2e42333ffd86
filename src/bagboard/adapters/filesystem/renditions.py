"""``DiskRenditionCache``: rendered covers and resized pages as JPEG files in the data folder.

Layout: ``<root>/<2 hex digits>/<comic id>-<page>-<size>.<stamp>.jpg``, 256 shards so no folder
grows huge. The stamp (file size and mtime) in the name makes a changed comic miss, and storing
its new rendition deletes the old one. Files are written to a temporary name and renamed, so a
reader never sees half a JPEG, even from another server process.

Eviction is least recently used by file modification time: a hit refreshes it (at most once an
hour, so hits stay reads). The total is counted once on first use and then kept up to date;
when it passes the limit, one pass over the folder deletes the oldest files down to 90% of it,
which also corrects the count for what other processes wrote.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Final

from bagboard.domain.images import RenditionKey
from bagboard.ports.rendition_cache import RenditionCache

__all__ = ["DiskRenditionCache"]

_TOUCH_AFTER_SECONDS: Final = 3600
_LOW_WATER: Final = 0.9
_SUFFIX: Final = ".jpg"


class DiskRenditionCache(RenditionCache):
    def __init__(
        self, root: Path, max_bytes: int, *, touch_after: float = _TOUCH_AFTER_SECONDS
    ) -> None:
        self._root = root
        self._max = max_bytes
        self._touch_after = touch_after
        self._total: int | None = None  # counted on first use
        self._lock = threading.Lock()

    def get(self, key: RenditionKey) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            if time.time() - path.stat().st_mtime >= self._touch_after:
                os.utime(path)
        except OSError:
            return None
        return data

    def put(self, key: RenditionKey, data: bytes) -> None:
        if len(data) > self._max:
            return
        with self._lock:
            self._count()  # counted before this write, so it is not counted twice
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        freed = self._drop_other_versions(key, path)
        # Named by process and thread: servers sharing the folder never write one scratch file.
        scratch = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        replaced = _size_of(path)
        scratch.write_bytes(data)
        scratch.replace(path)
        with self._lock:
            total = self._count() + len(data) - replaced - freed
            self._total = total
        if total > self._max:
            self._evict()

    def total_bytes(self) -> int:
        with self._lock:
            return self._count()

    def _path(self, key: RenditionKey) -> Path:
        shard = f"{key.comic_id % 256:02x}"
        name = f"{key.comic_id}-{key.page}-{key.size}.{key.stamp.token}{_SUFFIX}"
        return self._root / shard / name

    def _drop_other_versions(self, key: RenditionKey, keep: Path) -> int:
        freed = 0
        prefix = f"{key.comic_id}-{key.page}-{key.size}."
        for other in keep.parent.glob(prefix + "*" + _SUFFIX):
            if other != keep:
                size = _size_of(other)
                with contextlib.suppress(FileNotFoundError):
                    other.unlink()
                    freed += size
        return freed

    def _files(self) -> list[tuple[float, int, Path]]:
        found: list[tuple[float, int, Path]] = []
        if not self._root.is_dir():
            return found
        for shard in os.scandir(self._root):
            if not shard.is_dir():
                continue
            for entry in os.scandir(shard.path):
                if entry.name.endswith(_SUFFIX) and not entry.name.startswith("."):
                    with contextlib.suppress(FileNotFoundError):
                        info = entry.stat()
                        found.append((info.st_mtime, info.st_size, Path(entry.path)))
        return found

    def _count(self) -> int:
        if self._total is None:
            self._total = sum(size for _, size, _ in self._files())
        return self._total

    def _evict(self) -> None:
        with self._lock:
            files = sorted(self._files(), key=lambda item: item[0])
            total = sum(size for _, size, _ in files)
            target = int(self._max * _LOW_WATER)
            for _, size, path in files:
                if total <= target:
                    break
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                total -= size
            self._total = total


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
