"""``MemoryProblemList``: the unreadable files of a ``MemoryLibraryIndex``."""

from __future__ import annotations

from collections.abc import Sequence

from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.problems import Problem
from bagboard.ports.problems import ProblemList

__all__ = ["MemoryProblemList"]


class MemoryProblemList(ProblemList):
    def __init__(self, index: MemoryLibraryIndex) -> None:
        self._index = index

    def list(self, library_ids: Sequence[int], page: PageRequest) -> Page[Problem]:
        found = _problems(self._index, set(library_ids))
        found.sort(key=lambda p: (p.library_id, p.path, p.comic_id))
        return Page(found[page.offset : page.offset + page.limit], len(found), page)

    def count(self, library_id: int) -> int:
        return len(_problems(self._index, {library_id}))


def _problems(index: MemoryLibraryIndex, library_ids: set[int]) -> list[Problem]:
    found: list[Problem] = []
    for comic in index.contents().comics.values():
        if comic.error is None or comic.library_id not in library_ids:
            continue
        tried_at = index.written_at(comic.id)
        if tried_at is None:
            continue  # removed since the contents were read
        found.append(Problem(comic.id, comic.library_id, comic.path, comic.error, tried_at))
    return found
