from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bagboard.domain.browse import ComicRow, ReadingState
from bagboard.domain.pagination import Page, PageRequest


class ReadingStates(Protocol):
    """Each user's saved page and read marks, keyed by comic id, for enriching lists."""

    def states(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
        """States of the given comics; comics the user never touched are left out. One
        round trip whatever the number of ids."""
        ...

    def save_page(self, user_id: int, comic_id: int, page_number: int, at: datetime) -> None: ...

    def mark_read(self, user_id: int, comic_id: int, at: datetime) -> None: ...

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        """Comics of ``library_ids`` the user has a saved position in (not cleared) and has
        not marked read: the most recently saved first, ties by comic id, the larger first."""
        ...
