from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Protocol

__all__ = ["ChangeWatcher"]


class ChangeWatcher(Protocol):
    """Notices changes below some folders, so the index follows the disk without a restart."""

    def watch(self, roots: Sequence[str], stop: threading.Event) -> Iterator[frozenset[str]]:
        """Yield the paths that changed below ``roots``, a batch at a time, until ``stop`` is set.

        A batch is yielded once changes have settled. An empty batch is yielded at least every
        few seconds even when nothing changed, so the caller can do timed work and notice
        ``stop``. Watching has begun by the first batch: whatever changes after it was yielded
        comes in a later one. Roots that do not exist are ignored.
        """
        ...
