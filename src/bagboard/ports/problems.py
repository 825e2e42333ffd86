from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.problems import Problem

__all__ = ["ProblemList"]


class ProblemList(Protocol):
    """The index's unreadable files, read only (the scanner writes them).

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def list(self, library_ids: Sequence[int], page: PageRequest) -> Page[Problem]:
        """One page of the unreadable files of these libraries, ordered by library id, then
        path (compared by code point), then comic id; ``total`` counts them all. Empty when
        ``library_ids`` is."""
        ...

    def count(self, library_id: int) -> int:
        """How many files of the library the index holds as unreadable now; 0 for a library
        it knows nothing of."""
        ...
