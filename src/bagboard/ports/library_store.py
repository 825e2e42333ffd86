from __future__ import annotations

from typing import Protocol

from bagboard.domain.model import Library

__all__ = ["LibraryStore"]


class LibraryStore(Protocol):
    """Persistence of the configured library roots.

    SQL stores raise ``StorageUnavailable`` from any method when the database is locked or
    unreachable; the request may be retried.
    """

    def add(self, name: str, root: str) -> Library:
        """Create an enabled library with the next id and return it. Raises
        ``AlreadyExists`` (nothing stored) when a library with exactly this root exists."""
        ...

    def get(self, library_id: int) -> Library | None:
        """The library with this id, enabled or not; None when there is none."""
        ...

    def get_by_root(self, root: str) -> Library | None:
        """The library whose root is exactly ``root`` (compared as stored, not normalised),
        enabled or not; None when there is none."""
        ...

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        """Libraries in creation (id) order; only the enabled ones with ``enabled_only``.
        Empty when none is configured."""
        ...

    def set_enabled(self, library_id: int, enabled: bool) -> Library | None:
        """Enable or disable a library and return it as stored now (setting the state it
        already has is no error); None, writing nothing, when there is no such library."""
        ...

    def remove(self, library_id: int) -> Library | None:
        """Forget the library and return it as it was; None, writing nothing, when there is
        none. What a store keeps of it goes with
        it: its folders and comics in the index (with their page lists and facets), the
        shelf entries in it, and users' grants of it (a user limited to it alone then sees
        nothing). Reading positions and read marks of its comics stay, keyed by the comic's
        current path and no longer linked to it, so a comic indexed at that path again (the
        folder added back and scanned) takes them over."""
        ...
