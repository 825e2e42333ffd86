from __future__ import annotations

from typing import Protocol

from bagboard.domain.images import RenditionKey


class RenditionCache(Protocol):
    """Rendered covers and resized pages, bounded in total size.

    A key holds at most one rendition per comic, page and size: storing one for a newer
    ``FileStamp`` drops the older one, so a changed file never serves a stale image. When the
    total passes the size limit, the least recently used renditions are evicted. A rendition
    bigger than the whole limit is not kept. Safe to call from several threads.
    """

    def get(self, key: RenditionKey) -> bytes | None: ...

    def put(self, key: RenditionKey, data: bytes) -> None: ...

    def total_bytes(self) -> int:
        """What the kept renditions weigh now (never more than the limit after a ``put``)."""
        ...
