from __future__ import annotations

from typing import Protocol

from bagboard.domain.images import RenditionKey

__all__ = ["RenditionCache"]


class RenditionCache(Protocol):
    """Rendered covers and resized pages, bounded in total size.

    A key holds at most one rendition per comic, page and size: storing one for a newer
    ``FileStamp`` drops the older one, so a changed file never serves a stale image. When the
    total passes the size limit, the least recently used renditions are evicted. A rendition
    bigger than the whole limit is not kept. Safe to call from several threads.
    """

    def get(self, key: RenditionKey) -> bytes | None:
        """The bytes ``put`` under ``key``, or None when they were never kept or have been
        evicted to stay within the limit. Never bytes of another key."""
        ...

    def put(self, key: RenditionKey, data: bytes) -> None:
        """Keep ``data`` under ``key``, replacing what the same comic, page and size held
        (whatever its stamp), evicting the least recently used renditions as needed; a
        rendition larger than the whole limit is not kept."""
        ...

    def total_bytes(self) -> int:
        """What the kept renditions weigh now (never more than the limit after a ``put``)."""
        ...
