"""Files a scan could not read: what ``bagboard problems`` and ``GET /problems`` list.

An unreadable file stays in the index with the reason (``ComicEntry.error``) so that it is not
opened again on every scan; it is retried when its size or modification time changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bagboard.domain.paths import below

__all__ = ["Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One unreadable file of the index.

    ``tried_at`` is when its index row was last written: the scan that read it and failed,
    or a later scan that found it moved (a move is not read again, so it keeps the reason).
    """

    comic_id: int
    library_id: int
    path: str  # absolute, as the scan found it
    error: str
    tried_at: datetime

    def relative_to(self, root: str) -> str:
        """The path below ``root`` (its library's root); the whole path if it is not below."""
        return below(self.path, root) or self.path
