"""Watching library folders with watchfiles (inotify on Linux, polling where forced)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import watchfiles

from bagboard.ports.change_watcher import ChangeWatcher

__all__ = ["WatchfilesWatcher"]

log = logging.getLogger(__name__)


class WatchfilesWatcher(ChangeWatcher):
    def __init__(
        self, *, debounce_ms: int = 1000, tick_ms: int = 1000, force_polling: bool | None = None
    ) -> None:
        self._debounce_ms = debounce_ms
        self._tick_ms = tick_ms
        self._force_polling = force_polling

    def watch(self, roots: Sequence[str], stop: threading.Event) -> Iterator[frozenset[str]]:
        existing = [root for root in roots if Path(root).is_dir()]
        if not existing:
            # Nothing to watch yet: keep ticking so the caller can notice new libraries.
            while not stop.wait(self._tick_ms / 1000):
                yield frozenset()
            return
        try:
            for changes in watchfiles.watch(
                *existing,
                debounce=self._debounce_ms,
                step=50,
                stop_event=stop,
                rust_timeout=self._tick_ms,
                yield_on_timeout=True,
                raise_interrupt=False,
                force_polling=self._force_polling,
                ignore_permission_denied=True,
            ):
                yield frozenset(path for _, path in changes)
        except (OSError, RuntimeError) as exc:
            # A root vanished (an unmounted share) or the OS refused more watches: fall back to
            # ticking; the periodic rescan still catches changes.
            log.warning("watching stopped: %s", exc)
            while not stop.wait(self._tick_ms / 1000):
                yield frozenset()
