from __future__ import annotations

from bagboard.domain.model import ServerSettings
from bagboard.ports.settings_store import SettingsStore

__all__ = ["MemorySettingsStore"]


class MemorySettingsStore(SettingsStore):
    def __init__(self) -> None:
        self._settings = ServerSettings()

    def load(self) -> ServerSettings:
        return self._settings

    def save(self, settings: ServerSettings) -> None:
        self._settings = settings
