"""The configured library roots."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from bagboard.domain.errors import AlreadyExists, InvalidInput, InvalidPath, LibraryNotFound
from bagboard.domain.library_roots import overlapping, within
from bagboard.domain.model import Library, User
from bagboard.domain.server_status import FolderChoice
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.server_folders import ServerFolders
from bagboard.ports.user_store import UserStore
from bagboard.services.owners import require_owner

__all__ = ["LibraryService", "RemovedLibrary", "normalise_root", "sees_library"]


@dataclass(frozen=True, slots=True)
class RemovedLibrary:
    """A forgotten library, and the users whose allowance named it (they lost it: a user
    limited to it alone now sees no library)."""

    library: Library
    lost_access: tuple[User, ...]


def normalise_root(path: str) -> str:
    """An absolute, normalised POSIX path without a trailing slash (the root stays ``/``)."""
    if not path or "\x00" in path:
        raise InvalidInput("a library path must be a non-empty path")
    if not posixpath.isabs(path):
        raise InvalidInput("a library path must be absolute")
    return posixpath.normpath(path)


def sees_library(libraries: LibraryStore, user: User, library_id: int) -> bool:
    """Whether ``user`` may see what lies in that library now: it is enabled and theirs."""
    if not user.may_see(library_id):
        return False
    return any(lib.id == library_id for lib in libraries.list(enabled_only=True))


class LibraryService:
    def __init__(
        self,
        libraries: LibraryStore,
        users: UserStore | None = None,
        folders: ServerFolders | None = None,
    ) -> None:
        self._libraries = libraries
        self._users = users
        self._folders = folders

    def add(self, root: str, name: str | None = None) -> Library:
        root = normalise_root(root)
        if self._libraries.get_by_root(root) is not None:
            raise AlreadyExists("that folder is already a library")
        existing = {lib.root: lib for lib in self._libraries.list()}
        other = overlapping(root, existing)
        if other is not None:
            where = "inside" if within(root, other) else "around"
            raise InvalidPath(
                f"that folder is {where} the library {existing[other].name!r} ({other}): "
                "a folder can be in one library only"
            )
        label = (name or "").strip() or posixpath.basename(root) or root
        return self._libraries.add(label, root)

    def ensure(self, root: str, name: str | None = None) -> Library:
        """The library at ``root``, added when new (``serve --library`` uses this)."""
        existing = self._libraries.get_by_root(normalise_root(root))
        return existing if existing is not None else self.add(root, name)

    def list(self, *, enabled_only: bool = False) -> list[Library]:
        return self._libraries.list(enabled_only=enabled_only)

    def get(self, root: str) -> Library:
        library = self._libraries.get_by_root(normalise_root(root))
        if library is None:
            raise LibraryNotFound("no library at that path")
        return library

    def set_enabled(self, root: str, enabled: bool) -> Library:
        library = self.get(root)
        updated = self._libraries.set_enabled(library.id, enabled)
        if updated is None:
            raise LibraryNotFound("no library at that path")
        return updated

    def find(self, target: str, roots: Sequence[str] = ()) -> Library:
        """The library whose root is one of ``roots`` (the forms a path given by a person may
        take: as typed, resolved), else the one named ``target`` (case-insensitively).
        Raises ``LibraryNotFound``, or ``InvalidInput`` when several libraries have that name."""
        for root in roots:
            if posixpath.isabs(root):
                found = self._libraries.get_by_root(normalise_root(root))
                if found is not None:
                    return found
        key = target.strip().casefold()
        named = [lib for lib in self._libraries.list() if lib.name.casefold() == key]
        if len(named) > 1:
            where = ", ".join(lib.root for lib in named)
            raise InvalidInput(f"several libraries are named {target!r} ({where}): give its path")
        if not named:
            raise LibraryNotFound(f"no library at {target} or named so")
        return named[0]

    def remove(self, library: Library) -> RemovedLibrary:
        """Forget ``library`` and its index (``LibraryStore.remove`` says what goes and what
        stays: reading positions and read marks stay, by path)."""
        users = [] if self._users is None else self._users.list()
        limited = tuple(u for u in users if u.library_ids and library.id in u.library_ids)
        removed = self._libraries.remove(library.id)
        if removed is None:
            raise LibraryNotFound("no library at that path")
        return RemovedLibrary(removed, limited)

    # --- the same, for a signed-in person: owners only ---------------------------------------

    def add_for(self, user: User, root: str, name: str | None = None) -> Library:
        require_owner(user, "add a library")
        return self.add(root, name)

    def by_id_for(self, user: User, library_id: int) -> Library:
        require_owner(user, "manage libraries")
        library = self._libraries.get(library_id)
        if library is None:
            raise LibraryNotFound("no such library")
        return library

    def set_enabled_for(self, user: User, library_id: int, enabled: bool) -> Library:
        library = self.by_id_for(user, library_id)
        updated = self._libraries.set_enabled(library.id, enabled)
        if updated is None:
            raise LibraryNotFound("no such library")
        return updated

    def remove_for(self, user: User, library_id: int) -> RemovedLibrary:
        return self.remove(self.by_id_for(user, library_id))

    def choose_folder_for(self, user: User, path: str | None) -> FolderChoice:
        """A folder of the server and its subfolders, to pick a library root from; the
        filesystem root when ``path`` is empty. Raises ``InvalidPath`` for anything but a
        folder the server can list."""
        require_owner(user, "browse the server's folders")
        if self._folders is None:
            raise InvalidPath("this server cannot list its folders")
        return self._folders.choose(path or "/")
