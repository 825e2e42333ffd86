"""Rendering covers ahead of time, for ``bagboard covers warm`` and ``scan --warm-covers``.

Covers are rendered by a pool of threads: Pillow releases the GIL while it decodes, resizes
and encodes, so threads use every CPU without the start-up cost of processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.renditions import RenditionService

__all__ = ["CoverWarmer", "WarmReport"]

# Comics read from the index per round trip while listing a library.
READ_BATCH = 500


@dataclass(frozen=True, slots=True)
class WarmReport:
    comics: int
    ready: int  # rendered now or already cached
    failed: int  # no image, or an unreadable archive
    elapsed: float

    @property
    def per_second(self) -> float:
        return self.comics / self.elapsed if self.elapsed > 0 else 0.0


class CoverWarmer:
    """Fills the disk cache with the covers of whole libraries."""

    def __init__(self, index: LibraryIndex, renditions: RenditionService) -> None:
        self._index = index
        self._renditions = renditions

    def count(self, libraries: Sequence[Library]) -> int:
        """How many comics ``warm`` would go through (for a progress bar)."""
        return sum(len(self._ids(library)) for library in libraries)

    def warm(
        self,
        libraries: Sequence[Library],
        *,
        size: int,
        threads: int,
        progress: Callable[[int], None] | None = None,
    ) -> WarmReport:
        """*Blocking.* Render the cover of every indexed comic of ``libraries`` not cached
        yet, ``threads`` at a time; ``progress`` is told how many are done after each."""
        started = time.monotonic()
        ids = [comic_id for library in libraries for comic_id in self._ids(library)]
        ready = failed = 0
        with ThreadPoolExecutor(max(1, threads)) as pool:
            done = pool.map(lambda c: self._renditions.warm_cover(c, size), self._comics(ids))
            for count, ok in enumerate(done, start=1):
                ready, failed = ready + ok, failed + (not ok)
                if progress is not None:
                    progress(count)
        # A comic removed while warming is neither ready nor failed: it is no longer counted.
        return WarmReport(ready + failed, ready, failed, time.monotonic() - started)

    def _ids(self, library: Library) -> list[int]:
        return [comic.id for comic in self._index.snapshot(library.id).comics.values()]

    def _comics(self, ids: Sequence[int]) -> Iterator[IndexedComic]:
        for start in range(0, len(ids), READ_BATCH):
            chunk = ids[start : start + READ_BATCH]
            found = self._index.comics(chunk)
            yield from (found[comic_id] for comic_id in chunk if comic_id in found)
