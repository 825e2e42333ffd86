"""Browsing a library as the reader apps do: by folders or by ComicInfo (the shelves are
``shelves.py``'s ``ShelfService``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bagboard.domain.browse import (
    ISSUE_SORTS,
    PUBLISHER_SORTS,
    RECENT_WINDOW_DAYS,
    SERIES_DEPTH,
    SERIES_SORTS,
    ComicRow,
    Facet,
    FolderRow,
    Scope,
    Sort,
    grouping_key,
    volumes,
)
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.model import BrowseMode, User
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import FIRST_PAGE, MAX_PAGE_SIZE, Page, PageRequest
from bagboard.ports.clock import Clock
from bagboard.ports.folder_browser import FolderBrowser
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.settings_store import SettingsStore
from bagboard.services.entries import CatalogEntries
from bagboard.services.filters import (
    MISSING_PUBLISHER,
    MISSING_PUBLISHER_OR_SERIES,
    MISSING_SERIES,
    check_filters,
    given,
    missing,
)
from bagboard.services.folder_paths import FolderPaths
from bagboard.services.issues import IssueDetail
from bagboard.services.kept_answers import UNKEPT, KeptAnswers, kept_answer
from bagboard.services.listings import (
    FolderContents,
    FolderItem,
    IssueItem,
    Listing,
    issue_items,
)
from bagboard.services.recent_cache import Freshness
from bagboard.services.scope import visible_path, visible_scope
from bagboard.services.shelves import ShelfView

__all__ = [
    "MISSING_PUBLISHER",
    "MISSING_PUBLISHER_OR_SERIES",
    "MISSING_SERIES",
    "BrowseService",
    "FolderContents",
    "FolderItem",
    "IssueItem",
    "Listing",
]


class BrowseService:
    """``kept_answers``: where the answers to lists asked again are kept (none by default)."""

    def __init__(
        self,
        folders: FolderBrowser,
        metadata: MetadataBrowser,
        progress: ProgressStore,
        index: LibraryIndex,
        libraries: LibraryStore,
        settings: SettingsStore,
        clock: Clock,
        *,
        freshness: Freshness | None = None,
        kept_answers: KeptAnswers = UNKEPT,
    ) -> None:
        self.kept_answers = kept_answers
        self._folders = folders
        self._paths = FolderPaths(folders)
        self._metadata = metadata
        self._progress = progress
        self._entries = CatalogEntries(index, clock, freshness)
        self._libraries = libraries
        self._settings = settings
        self._clock = clock

    # --- who sees what -------------------------------------------------------------------

    def scope(self, user: User) -> Scope:
        return visible_scope(self._libraries, user)

    def mode(self, raw: str | None) -> BrowseMode:
        return BrowseMode.parse(raw, default=self._settings.load().browse_mode)

    # --- the three levels --------------------------------------------------------------------

    @kept_answer
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

    @kept_answer
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
        publisher = given(publisher)
        if effective is BrowseMode.FILESYSTEM:
            if not publisher:
                raise missing(MISSING_PUBLISHER)
            parents = self._paths.publishers(scope, publisher)
            rows = self._folders.series(parents, page)
            shapes = self._folders.shapes(
                [row.path for row in rows.items if row.depth == SERIES_DEPTH]
            )
            items = [
                FolderItem(row, volumes(shapes[row.path]) if row.path in shapes else None)
                for row in rows.items
            ]
            return Listing(effective, Page(items, rows.total, rows.request))
        check_filters(publisher, query)
        publisher_key = grouping_key(publisher) if publisher else None
        search = (query or "").strip() or None
        facets = self._metadata.series(
            scope.library_ids, publisher_key, search, Sort.parse(sort, SERIES_SORTS), page
        )
        return Listing(effective, facets)

    @kept_answer
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
        publisher, series, volume = given(publisher), given(series), given(volume)
        if effective is BrowseMode.FILESYSTEM:
            if not publisher or not series:
                raise missing(MISSING_PUBLISHER_OR_SERIES)
            publishers = self._paths.publishers(scope, publisher)
            folders = self._paths.series(scope, publishers, series)
            if volume:
                folders = self._paths.volumes(scope, folders, volume)
            comics = self._folders.comics([f.id for f in folders], page)
        else:
            if not series:
                raise missing(MISSING_SERIES)
            check_filters(series, publisher)
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
        return self._recent(user, since, page)

    @kept_answer
    def _recent(self, user: User, since: datetime, page: PageRequest) -> Page[IssueItem]:
        comics = self._metadata.recent(self.scope(user).library_ids, since, page)
        return self._enrich(user, comics)

    @kept_answer
    def search(self, user: User, query: str, page: PageRequest = FIRST_PAGE) -> Page[IssueItem]:
        """Comics whose series, title or file name contains ``query`` (as the series search
        matches), by series, then issue number."""
        check_filters(query)
        text = query.strip()
        if not text:
            raise InvalidInput("a search needs some text")
        comics = self._metadata.search(self.scope(user).library_ids, text, page)
        return self._enrich(user, comics)

    @kept_answer
    def keep_reading(self, user: User, page: PageRequest = FIRST_PAGE) -> Page[IssueItem]:
        """Comics the user has started and not marked read, the most recently read first."""
        comics = self._progress.keep_reading(user.id, self.scope(user).library_ids, page)
        return self._enrich(user, comics)

    @kept_answer
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
            row = self._folders.at(scope.library_ids, visible_path(scope, path))
            if row is None:
                raise NotFound("no such folder")
            here = shown = row
        comics = self._folders.comics([here.id], page)
        return FolderContents(shown, self._subfolders(here), self._enrich(user, comics))

    # --- catalog entries -------------------------------------------------------------------

    def details(self, items: Sequence[IssueItem | ShelfView]) -> list[IssueDetail]:
        """Listed comics with their full index rows (``CatalogEntries.details``)."""
        return self._entries.details(items)

    # --- helpers ---------------------------------------------------------------------------

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
        return issue_items(self._progress, user.id, comics)


def _by_name(row: FolderRow) -> tuple[str, str, int]:
    # The folder browser's order: natural, then the raw name, then the id.
    return (natural_sort_text(row.name), row.name, row.id)


def _map(page: Page[FolderRow], make: type[FolderItem]) -> Page[FolderItem]:
    return Page([make(row) for row in page.items], page.total, page.request)
