"""Which libraries and paths a user may browse: shared by browsing and the shelves."""

from __future__ import annotations

import posixpath

from bagboard.domain.browse import Scope, check_path_part
from bagboard.domain.errors import NotFound
from bagboard.domain.model import User
from bagboard.ports.library_store import LibraryStore

__all__ = ["visible_path", "visible_scope"]


def visible_scope(libraries: LibraryStore, user: User) -> Scope:
    """The enabled libraries this user may see, with their roots."""
    enabled = libraries.list(enabled_only=True)
    visible = [lib for lib in enabled if user.may_see(lib.id)]
    return Scope(tuple(lib.id for lib in visible), tuple(lib.root for lib in visible))


def visible_path(scope: Scope, raw: str) -> str:
    """``raw`` normalised; ``NotFound`` when it is not an absolute path inside ``scope``
    (``..`` is ``InvalidPath``)."""
    check_path_part(raw)
    path = posixpath.normpath(raw)
    if not raw.startswith("/") or not scope.contains(path):
        raise NotFound("no such comic or folder")
    return path
