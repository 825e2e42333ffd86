from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.browse import ReadingState


class ReadingStates(Protocol):
    """Each user's saved page and read marks, keyed by comic id, for enriching lists."""

    def states(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
        """States of the given comics; comics the user never touched are left out. One
        round trip whatever the number of ids."""
        ...

    def save_page(self, user_id: int, comic_id: int, page_number: int, at: datetime) -> None: ...

    def mark_read(self, user_id: int, comic_id: int, at: datetime) -> None: ...
