"""Browsing a library as the reader apps do: by folders or by ComicInfo, plus the shelves."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Generic, TypeVar

from bagboard.domain.browse import (
    ISSUE_SORTS,
    NO_READING,
    PUBLISHER_SORTS,
    RECENT_WINDOW_DAYS,
    SERIES_DEPTH,
    SERIES_SORTS,
    ComicRow,
    Facet,
    FolderRow,
    FolderShape,
    ReadingState,
    Scope,
    Sort,
    check_path_part,
    folder_display_name,
    grouping_key,
    volumes,
)
from bagboard.domain.errors import InvalidInput, InvalidPath, NotFound
from bagboard.domain.model import BrowseMode, User
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import FIRST_PAGE, MAX_PAGE_SIZE, Page, PageRequest
from bagboard.domain.shelves import Shelf, ShelfEntry, ShelfItem, ShelfKind
from bagboard.ports.clock import Clock
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.reading_states import ReadingStates
from bagboard.ports.settings_store import SettingsStore
from bagboard.ports.shelves import Shelves

T = TypeVar("T")

MISSING_PUBLISHER = "Missing 'publisher' parameter"
MISSING_PUBLISHER_OR_SERIES = "Missing 'publisher' or 'series' parameter"
MISSING_SERIES = "Missing 'series' parameter"


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """A page of a browse list and the mode that produced it."""

    mode: BrowseMode
    page: Page[T]


@dataclass(frozen=True, slots=True)
class FolderItem:
    folder: FolderRow
    # Present only for a multi-volume series folder (contract §4.2).
    volumes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class IssueItem:
    comic: ComicRow
    reading: ReadingState = NO_READING


@dataclass(frozen=True, slots=True)
class FolderContents:
    """One folder as browsed by folders: every subfolder, and a page of the comics directly
    inside. ``folder`` is None at the top level, which lists the library roots when the user
    sees several libraries and the one root's contents otherwise."""

    folder: FolderRow | None
    folders: tuple[FolderItem, ...]
    comics: Page[IssueItem]


@dataclass(frozen=True, slots=True)
class ShelfView:
    """One shelf entry as listed: display name, and what a client needs to drill in."""

    entry: ShelfEntry
    name: str
    reading: ReadingState | None = None  # file entries only
    volumes: tuple[str, ...] | None = None  # a multi-volume series folder
    series: str | None = None  # a volume folder of a multi-volume series: its series
    volume: str | None = None  # ... and its own name


def _given(raw: str | None) -> str | None:
    """A parameter's value, or None when it is missing or blank."""
    return raw if raw is not None and raw.strip() else None


def _check_filters(*values: str | None) -> None:
    """Metadata-mode filter values. ComicInfo is XML, which cannot hold a NUL character, so a
    value with one could match nothing; it is refused before a store sees it (PostgreSQL rejects
    NUL in text, and SQLite's LIKE stops reading a pattern at it)."""
    if any(value is not None and "\x00" in value for value in values):
        raise InvalidInput("a filter must not contain a NUL character")


def _missing(message: str) -> InvalidInput:
    # The reference answers these with the sentence itself as the error code.
    return InvalidInput(message, code=message)


class BrowseService:
    def __init__(
        self,
        folders: FolderBrowser,
        metadata: MetadataBrowser,
        reading: ReadingStates,
        shelves: Shelves,
        index: LibraryIndex,
        libraries: LibraryStore,
        settings: SettingsStore,
        clock: Clock,
    ) -> None:
        self._folders = folders
        self._metadata = metadata
        self._reading = reading
        self._shelves = shelves
        self._index = index
        self._libraries = libraries
        self._settings = settings
        self._clock = clock

    # --- who sees what -------------------------------------------------------------------

    def scope(self, user: User) -> Scope:
        enabled = self._libraries.list(enabled_only=True)
        visible = [lib for lib in enabled if user.may_see(lib.id)]
        return Scope(tuple(lib.id for lib in visible), tuple(lib.root for lib in visible))

    def mode(self, raw: str | None) -> BrowseMode:
        return BrowseMode.parse(raw, default=self._settings.load().browse_mode)

    # --- the three levels --------------------------------------------------------------------

    def publishers(
        self,
        user: User,
        *,
        mode: str | None = None,
        sort: str | None = None,
        page: PageRequest = FIRST_PAGE,
    ) -> Listing[FolderItem] | Listing[Facet]:
        effective = self.mode(mode)
        scope = self.scope(user)
        if effective is BrowseMode.FILESYSTEM:
            rows = self._folders.publishers(scope.library_ids, page)
            return Listing(effective, _map(rows, FolderItem))
        facets = self._metadata.publishers(
            scope.library_ids, Sort.parse(sort, PUBLISHER_SORTS), page
        )
        return Listing(effective, facets)

    def series(
        self,
        user: User,
        *,
        mode: str | None = None,
        publisher: str | None = None,
        query: str | None = None,
        sort: str | None = None,
        page: PageRequest = FIRST_PAGE,
    ) -> Listing[FolderItem] | Listing[Facet]:
        effective = self.mode(mode)
        scope = self.scope(user)
        publisher = _given(publisher)
        if effective is BrowseMode.FILESYSTEM:
            if not publisher:
                raise _missing(MISSING_PUBLISHER)
            parents = self._resolve(scope, None, publisher)
            rows = self._folders.children([p.id for p in parents], page)
            shapes = self._folders.shapes([row.path for row in rows.items])
            items = [
                FolderItem(row, volumes(shapes[row.path]) if row.path in shapes else None)
                for row in rows.items
            ]
            return Listing(effective, Page(items, rows.total, rows.request))
        _check_filters(publisher, query)
        publisher_key = grouping_key(publisher) if publisher else None
        search = (query or "").strip() or None
        facets = self._metadata.series(
            scope.library_ids, publisher_key, search, Sort.parse(sort, SERIES_SORTS), page
        )
        return Listing(effective, facets)

    def issues(
        self,
        user: User,
        *,
        mode: str | None = None,
        publisher: str | None = None,
        series: str | None = None,
        volume: str | None = None,
        sort: str | None = None,
        page: PageRequest = FIRST_PAGE,
    ) -> Listing[IssueItem]:
        effective = self.mode(mode)
        scope = self.scope(user)
        publisher, series, volume = _given(publisher), _given(series), _given(volume)
        if effective is BrowseMode.FILESYSTEM:
            if not publisher or not series:
                raise _missing(MISSING_PUBLISHER_OR_SERIES)
            folders = self._resolve(scope, self._resolve(scope, None, publisher), series)
            if volume:
                folders = self._resolve(scope, folders, volume)
            comics = self._folders.comics([f.id for f in folders], page)
        else:
            if not series:
                raise _missing(MISSING_SERIES)
            _check_filters(series, publisher)
            comics = self._metadata.issues(
                scope.library_ids,
                grouping_key(series),
                grouping_key(publisher) if publisher else None,
                Sort.parse(sort, ISSUE_SORTS),
                page,
            )
        return Listing(effective, self._enrich(user, comics))

    def recent(self, user: User, page: PageRequest = FIRST_PAGE) -> Page[IssueItem]:
        # To the minute: the same window for a minute, so that a store may keep the page it
        # read for it (a comic at the very edge of thirty days stays up to a minute longer).
        since = (self._clock.now() - timedelta(days=RECENT_WINDOW_DAYS)).replace(
            second=0, microsecond=0
        )
        comics = self._metadata.recent(self.scope(user).library_ids, since, page)
        return self._enrich(user, comics)

    def search(self, user: User, query: str, page: PageRequest = FIRST_PAGE) -> Page[IssueItem]:
        """Comics whose series, title or file name contains ``query`` (as the series search
        matches), by series, then issue number."""
        _check_filters(query)
        text = query.strip()
        if not text:
            raise InvalidInput("a search needs some text")
        comics = self._metadata.search(self.scope(user).library_ids, text, page)
        return self._enrich(user, comics)

    def keep_reading(self, user: User, page: PageRequest = FIRST_PAGE) -> Page[IssueItem]:
        """Comics the user has started and not marked read, the most recently read first."""
        comics = self._reading.keep_reading(user.id, self.scope(user).library_ids, page)
        return self._enrich(user, comics)

    def folder(
        self, user: User, path: str | None, page: PageRequest = FIRST_PAGE
    ) -> FolderContents:
        """The folder at ``path`` (absolute), or the top level for None. A path outside the
        user's libraries, or not an indexed folder, is ``NotFound``; ``..`` is ``InvalidPath``."""
        scope = self.scope(user)
        if path is None:
            found = (self._folders.at(scope.library_ids, root) for root in scope.roots)
            roots = [row for row in found if row is not None]
            if len(roots) != 1:
                # Several libraries: each root under the name it was given, not its folder's.
                names = {lib.id: lib.name for lib in self._libraries.list(enabled_only=True)}
                named = [replace(row, name=names.get(row.library_id, row.name)) for row in roots]
                items = tuple(FolderItem(row) for row in sorted(named, key=_by_name))
                return FolderContents(None, items, Page([], 0, page))
            here, shown = roots[0], None
        else:
            row = self._folders.at(scope.library_ids, self._visible_path(scope, path))
            if row is None:
                raise NotFound("no such folder")
            here = shown = row
        comics = self._folders.comics([here.id], page)
        return FolderContents(shown, self._subfolders(here), self._enrich(user, comics))

    # --- shelves -------------------------------------------------------------------------------

    def shelf(self, user: User, shelf: Shelf, page: PageRequest = FIRST_PAGE) -> Page[ShelfView]:
        scope = self.scope(user)
        entries = self._shelves.list(user.id, shelf, scope.library_ids, page)
        comic_ids = [e.comic_id for e in entries.items if e.comic_id is not None]
        states = self._reading.states(user.id, comic_ids) if comic_ids else {}
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
        views = [self._view(entry, states, shapes) for entry in entries.items]
        return Page(views, entries.total, entries.request)

    def add_to_shelf(self, user: User, shelf: Shelf, path: str, kind: str | None = None) -> None:
        item = self._shelf_item(user, path, kind, folders_only=shelf is Shelf.FAVORITES)
        self._shelves.add(user.id, shelf, item, self._clock.now())

    def remove_from_shelf(self, user: User, shelf: Shelf, path: str) -> None:
        clean = self._visible_path(self.scope(user), path)
        self._shelves.remove(user.id, shelf, clean)

    # --- helpers ---------------------------------------------------------------------------

    def _resolve(
        self, scope: Scope, parents: Sequence[FolderRow] | None, raw: str
    ) -> list[FolderRow]:
        """Folders a name or an absolute path stands for, below ``parents`` (None: the
        publisher level). An absolute path outside the visible libraries is refused."""
        check_path_part(raw)
        if raw.startswith("/"):
            path = posixpath.normpath(raw)
            if not scope.contains(path):
                raise InvalidPath("invalid path")
            row = self._folders.at(scope.library_ids, path)
            return [row] if row is not None else []
        if parents is not None and not parents:
            return []
        parent_ids = None if parents is None else [p.id for p in parents]
        return self._folders.named(scope.library_ids, parent_ids, raw)

    def _subfolders(self, parent: FolderRow) -> tuple[FolderItem, ...]:
        """Every child of ``parent``, a full page at a time; series folders with their
        volumes, as the series list shows them."""
        rows: list[FolderRow] = []
        request = PageRequest(1, MAX_PAGE_SIZE)
        while True:
            found = self._folders.children([parent.id], request)
            rows.extend(found.items)
            if not found.has_more:
                break
            request = PageRequest(request.page + 1, MAX_PAGE_SIZE)
        shapes = self._folders.shapes([row.path for row in rows if row.depth == SERIES_DEPTH])
        return tuple(
            FolderItem(row, volumes(shapes[row.path]) if row.path in shapes else None)
            for row in rows
        )

    def _enrich(self, user: User, comics: Page[ComicRow]) -> Page[IssueItem]:
        ids = [comic.id for comic in comics.items]
        states = self._reading.states(user.id, ids) if ids else {}
        items = [IssueItem(comic, states.get(comic.id, NO_READING)) for comic in comics.items]
        return Page(items, comics.total, comics.request)

    def _visible_path(self, scope: Scope, raw: str) -> str:
        check_path_part(raw)
        path = posixpath.normpath(raw)
        if not raw.startswith("/") or not scope.contains(path):
            raise NotFound("no such comic or folder")
        return path

    def _shelf_item(
        self, user: User, raw: str, kind: str | None, *, folders_only: bool
    ) -> ShelfItem:
        scope = self.scope(user)
        path = self._visible_path(scope, raw)
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
        self,
        entry: ShelfEntry,
        states: dict[int, ReadingState],
        shapes: dict[str, FolderShape],
    ) -> ShelfView:
        if entry.kind is ShelfKind.FILE:
            reading = states.get(entry.comic_id, NO_READING) if entry.comic_id else NO_READING
            return ShelfView(entry, entry.name, reading=reading)
        parent_path = posixpath.dirname(entry.path)
        parent_name = posixpath.basename(parent_path)
        own, parent = shapes.get(entry.path), shapes.get(parent_path)
        parent_volumes = volumes(parent) if parent is not None else None
        if parent_volumes and entry.name in parent_volumes:
            name = folder_display_name(entry.name, parent_name)
            return ShelfView(entry, name, series=parent_name, volume=entry.name)
        return ShelfView(entry, entry.name, volumes=volumes(own) if own is not None else None)


def _by_name(row: FolderRow) -> tuple[str, str, int]:
    # The folder browser's order: natural, then the raw name, then the id.
    return (natural_sort_text(row.name), row.name, row.id)


def _map(page: Page[FolderRow], make: type[FolderItem]) -> Page[FolderItem]:
    return Page([make(row) for row in page.items], page.total, page.request)
