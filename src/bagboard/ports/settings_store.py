from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import ServerSettings


class SettingsStore(Protocol):
    """Persistence of server-wide settings; defaults apply until something is saved."""

    def load(self) -> ServerSettings: ...

    def save(self, settings: ServerSettings) -> None: ...
