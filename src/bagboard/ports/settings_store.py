from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import ServerSettings

__all__ = ["SettingsStore"]


class SettingsStore(Protocol):
    """Persistence of server-wide settings; defaults apply until something is saved."""

    def load(self) -> ServerSettings:
        """The settings last saved; ``ServerSettings()`` (the defaults) before any save."""
        ...

    def save(self, settings: ServerSettings) -> None:
        """Replace the stored settings as a whole; the next ``load`` returns them. SQL stores
        raise ``StorageUnavailable`` when the database is locked or unreachable."""
        ...
