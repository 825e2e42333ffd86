"""Stores read on every request, remembered until they change.

Every API request needs the enabled libraries and the saved browse mode. These wrappers keep
them (``RecentCache``): a write through the same wrapper applies at once, and a change made by
another process (the ``bagboard`` command) on the next request that follows it. The settings
are kept with no time bound while the change feed follows (``RecentCache``'s ``untimed``).
"""

from __future__ import annotations

from bagboard.domain.model import Library, ServerSettings
from bagboard.ports.change_feed import Change
from bagboard.ports.clock import Clock
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.settings_store import SettingsStore
from bagboard.services.recent_cache import Freshness, RecentCache

__all__ = ["CachedLibraryStore", "CachedSettingsStore"]


class CachedLibraryStore(LibraryStore):
    def __init__(self, inner: LibraryStore, clock: Clock, freshness: Freshness) -> None:
        self._inner = inner
        self._lists: RecentCache[bool, list[Library]] = RecentCache(
            clock, freshness, Change.LIBRARIES
        )

    def add(self, name: str, root: str) -> Library:
        library = self._inner.add(name, root)
        self._lists.forget()
        return library

    def get(self, library_id: int) -> Library | None:
        return self._inner.get(library_id)

    def get_by_root(self, root: str) -> Library | None:
        return self._inner.get_by_root(root)

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        # A copy, so no caller can change what the next one sees.
        return list(
            self._lists.get(enabled_only, lambda: self._inner.list(enabled_only=enabled_only))
        )

    def set_enabled(self, library_id: int, enabled: bool) -> Library | None:
        library = self._inner.set_enabled(library_id, enabled)
        self._lists.forget()
        return library

    def remove(self, library_id: int) -> Library | None:
        library = self._inner.remove(library_id)
        self._lists.forget()
        return library


class CachedSettingsStore(SettingsStore):
    def __init__(self, inner: SettingsStore, clock: Clock, freshness: Freshness) -> None:
        self._inner = inner
        # Kept while no settings change is told, with no clock read: ``/auth/ping`` reads
        # them on every call, and its token check reads the clock already.
        self._settings: RecentCache[str, ServerSettings] = RecentCache(
            clock, freshness, Change.SETTINGS, untimed=True
        )

    def load(self) -> ServerSettings:
        return self._settings.get("", self._inner.load)

    def save(self, settings: ServerSettings) -> None:
        self._inner.save(settings)
        self._settings.forget()
