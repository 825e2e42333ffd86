"""Each user's shelves (favorites, to-read) as the API and OPDS list them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from bagboard.domain.browse import SERIES_DEPTH, FolderShape, folder_display_name, volumes
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.model import User
from bagboard.domain.pagination import FIRST_PAGE, Page, PageRequest
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfItem, ShelfKind
from bagboard.ports.clock import Clock
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.shelves import Shelves
from bagboard.services.scope import visible_path, visible_scope

__all__ = ["ShelfService", "ShelfView"]


@dataclass(frozen=True, slots=True)
class ShelfView:
    """One shelf entry as listed: display name, and what a client needs to drill in."""

    entry: ShelfEntry
    name: str
    reading: ComicReading | None = None  # file entries only
    volumes: tuple[str, ...] | None = None  # a multi-volume series folder
    series: str | None = None  # a volume folder of a multi-volume series: its series
    volume: str | None = None  # ... and its own name


class ShelfService:
    def __init__(
        self,
        folders: FolderBrowser,
        progress: ProgressStore,
        shelves: Shelves,
        index: LibraryIndex,
        libraries: LibraryStore,
        clock: Clock,
    ) -> None:
        self._folders = folders
        self._progress = progress
        self._shelves = shelves
        self._index = index
        self._libraries = libraries
        self._clock = clock

    def shelf(self, user: User, shelf: Shelf, page: PageRequest = FIRST_PAGE) -> Page[ShelfView]:
        """A page of the shelf, file entries with this user's reading of them."""
        scope = visible_scope(self._libraries, user)
        entries = self._shelves.list(user.id, shelf, scope.library_ids, page)
        comic_ids = [e.comic_id for e in entries.items if e.comic_id is not None]
        readings = self._progress.readings(user.id, comic_ids) if comic_ids else {}
        # Volume details concern series folders and their volume folders only: one lookup
        # for just those, whatever the page holds (a publisher folder's shape is costly).
        wanted: list[str] = []
        if shelf is Shelf.TO_READ:
            for entry in entries.items:
                if entry.kind is ShelfKind.FOLDER:
                    depth = scope.depth(entry.path)
                    if depth == SERIES_DEPTH:
                        wanted.append(entry.path)
                    elif depth == SERIES_DEPTH + 1:
                        wanted.append(posixpath.dirname(entry.path))
        shapes = self._folders.shapes(wanted) if wanted else {}
        views = [_view(entry, readings, shapes) for entry in entries.items]
        return Page(views, entries.total, entries.request)

    def add(self, user: User, shelf: Shelf, path: str, kind: str | None = None) -> None:
        item = self._shelf_item(user, path, kind, folders_only=shelf is Shelf.FAVORITES)
        self._shelves.add(user.id, shelf, item, self._clock.now())

    def remove(self, user: User, shelf: Shelf, path: str) -> None:
        clean = visible_path(visible_scope(self._libraries, user), path)
        self._shelves.remove(user.id, shelf, clean)

    def _shelf_item(
        self, user: User, raw: str, kind: str | None, *, folders_only: bool
    ) -> ShelfItem:
        scope = visible_scope(self._libraries, user)
        path = visible_path(scope, raw)
        wanted = (kind or "").strip().lower()
        if wanted not in ("", "file", "folder"):
            raise InvalidInput("type must be 'file' or 'folder'")
        if wanted != "file":
            folder = self._folders.at(scope.library_ids, path)
            if folder is not None:
                return ShelfItem(ShelfKind.FOLDER, folder.path, folder.library_id)
        if wanted != "folder" and not folders_only:
            comic = self._index.place_at(path)
            if comic is not None and comic.library_id in scope.library_ids:
                return ShelfItem(ShelfKind.FILE, comic.path, comic.library_id, comic.id)
        raise NotFound("no such comic or folder")


def _view(
    entry: ShelfEntry, readings: dict[int, ComicReading], shapes: dict[str, FolderShape]
) -> ShelfView:
    if entry.kind is ShelfKind.FILE:
        reading = readings.get(entry.comic_id, NOT_READ) if entry.comic_id else NOT_READ
        return ShelfView(entry, entry.name, reading=reading)
    parent_path = posixpath.dirname(entry.path)
    parent_name = posixpath.basename(parent_path)
    own, parent = shapes.get(entry.path), shapes.get(parent_path)
    parent_volumes = volumes(parent) if parent is not None else None
    if parent_volumes and entry.name in parent_volumes:
        name = folder_display_name(entry.name, parent_name)
        return ShelfView(entry, name, series=parent_name, volume=entry.name)
    return ShelfView(entry, entry.name, volumes=volumes(own) if own is not None else None)
