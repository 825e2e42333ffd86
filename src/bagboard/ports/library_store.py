from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import Library


class LibraryStore(Protocol):
    """Persistence of the configured library roots."""

    def add(self, name: str, root: str) -> Library:
        """Create a library. Raises ``AlreadyExists`` when the root is already configured."""
        ...

    def get(self, library_id: int) -> Library | None: ...

    def get_by_root(self, root: str) -> Library | None: ...

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        """Libraries in creation order."""
        ...

    def set_enabled(self, library_id: int, enabled: bool) -> Library | None: ...
