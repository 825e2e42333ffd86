from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.images import FileStamp, PageInfo

__all__ = ["PageCatalog"]


class PageCatalog(Protocol):
    """Each comic's page list with dimensions, computed once per version of the file.

    Lists are stored against the comic's id and the ``FileStamp`` they were made from; a
    lookup with another stamp finds nothing, so a changed file gets its pages measured again.
    Lists of comics that leave the index are forgotten with them.
    """

    def pages(self, comic_id: int, stamp: FileStamp) -> tuple[PageInfo, ...] | None:
        """The stored list, or None when none was stored for this version of the file."""
        ...

    def save(self, comic_id: int, stamp: FileStamp, pages: Sequence[PageInfo]) -> None:
        """Store (or replace) the list; ignored for a comic that is not indexed."""
        ...
