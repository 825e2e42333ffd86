"""Comics by id, remembered for one index generation (see ``generation.py``).

Komga's series lists show every book of each series they list: twenty series of forty books
read and build eight hundred comics per request, the same ones request after request. A
comic's row changes only with an index write, which raises the generation, so the comics
read while the generation is N stay exact until it moves, and a repeated list costs the
check of that one number plus the comics it has not seen yet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from threading import Lock

from bagboard.domain.catalog import IndexedComic

__all__ = ["KeptComics"]


class KeptComics:
    """Up to ``size`` comics read at one generation; a new generation forgets them all, and
    so does reaching ``size`` (the next requests read their comics again)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._generation: int | None = None
        self._comics: dict[int, IndexedComic] = {}
        self._lock = Lock()

    def comics(
        self,
        ids: Sequence[int],
        generation: int | None,
        read: Callable[[list[int]], dict[int, IndexedComic]],
    ) -> dict[int, IndexedComic]:
        """The comics of ``ids`` (those the index holds): kept ones at ``generation`` (read
        before the comics are), the others from ``read`` and then kept."""
        wanted = sorted(set(ids))
        if generation is None:
            return read(wanted)
        with self._lock:
            if self._generation != generation:
                self._generation = generation
                self._comics = {}
            kept = self._comics
        found = {i: kept[i] for i in wanted if i in kept}
        missing = [i for i in wanted if i not in found]
        if missing:
            fresh = read(missing)
            found.update(fresh)
            with self._lock:
                if self._generation == generation:
                    if len(self._comics) + len(fresh) > self._size:
                        self._comics = {}
                    self._comics.update(fresh)
        return found
