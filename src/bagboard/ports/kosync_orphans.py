from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.kosync import KosyncPosition

__all__ = ["KosyncOrphans"]


class KosyncOrphans(Protocol):
    """What KOReader devices sent for documents no indexed comic matched, per user and
    document: the last write wins, as on the reference server. A user's go with the user.

    SQL stores raise ``StorageUnavailable`` when the database is locked or unreachable.
    """

    def get(self, user_id: int, document: str) -> KosyncPosition | None:
        """The user's last write for ``document``; None when there is none."""
        ...

    def put(self, user_id: int, position: KosyncPosition) -> None:
        """Store ``position`` under its document, replacing what was there."""
        ...

    def documents(self) -> list[str]:
        """Every document any user has an orphan for, each once, in ascending order."""
        ...

    def take(self, document: str) -> Sequence[tuple[int, KosyncPosition]]:
        """Remove and return every user's orphan for ``document`` (user id first)."""
        ...
