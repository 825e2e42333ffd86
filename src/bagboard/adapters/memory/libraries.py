from __future__ import annotations

import threading
from dataclasses import replace
from itertools import count

from bagboard.adapters.memory.followers import FollowsLibraries
from bagboard.domain.errors import AlreadyExists
from bagboard.domain.model import Library
from bagboard.ports.library_store import LibraryStore

__all__ = ["MemoryLibraryStore"]


class MemoryLibraryStore(LibraryStore):
    """``followers`` hold what a removed library takes with it, told in the order given
    (see ``followers.py``): positions first, which read the index for the comics' paths,
    the index last."""

    def __init__(self, *followers: FollowsLibraries) -> None:
        self._libraries: dict[int, Library] = {}
        self._ids = count(1)
        self._followers = followers
        self._lock = threading.Lock()

    def add(self, name: str, root: str) -> Library:
        with self._lock:
            if self.get_by_root(root) is not None:
                raise AlreadyExists("that folder is already a library")
            library = Library(id=next(self._ids), name=name, root=root)
            self._libraries[library.id] = library
            return library

    def get(self, library_id: int) -> Library | None:
        return self._libraries.get(library_id)

    def get_by_root(self, root: str) -> Library | None:
        return next((lib for lib in self._libraries.values() if lib.root == root), None)

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        return [
            lib
            for lib in sorted(self._libraries.values(), key=lambda lib: lib.id)
            if lib.enabled or not enabled_only
        ]

    def set_enabled(self, library_id: int, enabled: bool) -> Library | None:
        with self._lock:
            library = self._libraries.get(library_id)
            if library is None:
                return None
            library = replace(library, enabled=enabled)
            self._libraries[library_id] = library
            return library

    def remove(self, library_id: int) -> Library | None:
        with self._lock:
            library = self._libraries.pop(library_id, None)
        if library is not None:
            for follower in self._followers:
                follower.forget_library(library_id)
        return library
