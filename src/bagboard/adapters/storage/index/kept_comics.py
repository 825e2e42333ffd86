"""Comics by id, and comics' places by path, remembered for one index generation (see
``generation.py``).

Komga's series lists show every book of each series they list: twenty series of forty books
read and build eight hundred comics per request, the same ones request after request. A
comic's row changes only with an index write, which raises the generation, so the comics
read while the generation is N stay exact until it moves, and a repeated list costs the
check of that one number plus the comics it has not seen yet. A reader saving its position
names the comic by path, one write after another in the same few comics: the path's place
(comic and library) is kept the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from threading import Lock
from typing import Generic, TypeVar

from bagboard.domain.catalog import ComicPlace, IndexedComic

__all__ = ["KeptByKey", "KeptComics", "KeptPlaces"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeptByKey(Generic[K, V]):
    """Up to ``size`` values read at one generation; a new generation forgets them all, and
    so does reaching ``size`` (the next requests read their values again). Keys the read
    does not find are not kept: they are read again."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._generation: int | None = None
        self._values: dict[K, V] = {}
        self._lock = Lock()

    def get(
        self,
        keys: Iterable[K],
        generation: int | None,
        read: Callable[[list[K]], dict[K, V]],
    ) -> dict[K, V]:
        """The values of ``keys`` (those found): kept ones at ``generation`` (read before
        the values are), the others from ``read`` and then kept."""
        wanted = list(dict.fromkeys(keys))
        if generation is None:
            return read(wanted)
        with self._lock:
            if self._generation != generation:
                self._generation = generation
                self._values = {}
            kept = self._values
        found = {k: kept[k] for k in wanted if k in kept}
        missing = [k for k in wanted if k not in found]
        if missing:
            fresh = read(missing)
            found.update(fresh)
            with self._lock:
                if self._generation == generation:
                    if len(self._values) + len(fresh) > self._size:
                        self._values = {}
                    self._values.update(fresh)
        return found


KeptComics = KeptByKey[int, IndexedComic]
KeptPlaces = KeptByKey[str, ComicPlace]
