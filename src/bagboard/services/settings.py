"""Server-wide settings."""

from __future__ import annotations

from dataclasses import replace

from bagboard.domain.errors import InvalidMode
from bagboard.domain.model import BrowseMode, ServerSettings, User
from bagboard.ports.settings_store import SettingsStore
from bagboard.services.owners import require_owner

__all__ = ["SettingsService"]


class SettingsService:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    def current(self) -> ServerSettings:
        return self._store.load()

    def set_browse_mode(self, raw: str) -> ServerSettings:
        if not raw.strip():
            raise InvalidMode("mode must be 'metadata' or 'filesystem'")
        settings = replace(
            self._store.load(),
            browse_mode=BrowseMode.parse(raw.strip(), default=BrowseMode.METADATA),
        )
        self._store.save(settings)
        return settings

    def current_for(self, user: User) -> ServerSettings:
        """``current``, for the settings page: owners only (``Forbidden`` otherwise)."""
        require_owner(user, "change the server's settings")
        return self.current()

    def set_browse_mode_for(self, user: User, raw: str) -> ServerSettings:
        """``set_browse_mode`` on behalf of ``user``: owners only (``Forbidden`` otherwise)."""
        require_owner(user, "change the server's settings")
        return self.set_browse_mode(raw)
