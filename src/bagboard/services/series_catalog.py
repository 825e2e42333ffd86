"""Libraries, series and books as Komga's API names them, over the existing stores.

Komga's series are bagboard's metadata-mode series (contract §4) split per library, each with
a persistent integer id; its books are comics; its libraries are the user's visible libraries.
Scoping is ``scope.visible_scope``'s: a library the user may not see, and everything in it,
is ``NotFound``, exactly like a missing one.
"""

from __future__ import annotations

from bagboard.domain.errors import NotFound
from bagboard.domain.images import parse_id
from bagboard.domain.model import Library, User
from bagboard.ports.library_store import LibraryStore

__all__ = ["SeriesCatalog"]


class SeriesCatalog:
    def __init__(self, libraries: LibraryStore) -> None:
        self._libraries = libraries

    def libraries(self, user: User) -> list[Library]:
        """The enabled libraries this user may see, by id."""
        return [lib for lib in self._libraries.list(enabled_only=True) if user.may_see(lib.id)]

    def library(self, user: User, raw_id: str) -> Library:
        """One visible library; ``NotFound`` for a hidden, disabled, missing or non-numeric id."""
        library_id = parse_id(raw_id)
        found = next((lib for lib in self.libraries(user) if lib.id == library_id), None)
        if found is None:
            raise NotFound("no such library")
        return found
