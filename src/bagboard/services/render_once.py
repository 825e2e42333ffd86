"""Two guards of the rendition path: one render per key at a time, and failed covers memoed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import CoverFailed
from bagboard.domain.images import FileStamp, RenditionKey

__all__ = ["CoverFailures", "RenderOnce"]

logger = logging.getLogger("bagboard.covers")

# Failed covers remembered (so a corrupt archive is logged once and not reopened on every
# request); a full memo starts over.
MAX_FAILURES = 10_000


class RenderOnce:
    """One render per key at a time: a grid of covers asked for by two devices at once, or a
    retried request, decodes each image once."""

    def __init__(self) -> None:
        self._inflight: dict[RenditionKey, tuple[threading.Lock, list[int]]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def rendering(self, key: RenditionKey) -> Iterator[None]:
        with self._lock:
            entry = self._inflight.setdefault(key, (threading.Lock(), [0]))
            entry[1][0] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._lock:
                entry[1][0] -= 1
                if not entry[1][0]:
                    del self._inflight[key]


class CoverFailures:
    """Covers that could not be made, per version of the file: each is logged and tried once."""

    def __init__(self, max_entries: int = MAX_FAILURES) -> None:
        self._failures: dict[tuple[int, FileStamp], str] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def check(self, comic_id: int, stamp: FileStamp) -> None:
        """Raise the remembered ``CoverFailed`` when this version of the comic failed before."""
        with self._lock:
            known = self._failures.get((comic_id, stamp))
        if known is not None:
            raise CoverFailed(known)

    def failed(self, comic: IndexedComic, stamp: FileStamp, why: str) -> CoverFailed:
        """Remember that the cover of this version failed (logging it the first time) and
        return the error to raise."""
        failure = (comic.id, stamp)
        with self._lock:
            if len(self._failures) >= self._max:
                self._failures.clear()
            first = failure not in self._failures
            self._failures[failure] = "the cover could not be made: " + why
            message = self._failures[failure]
        if first:
            logger.warning("no cover for comic %s (%s): %s", comic.id, comic.path, why)
        return CoverFailed(message)
