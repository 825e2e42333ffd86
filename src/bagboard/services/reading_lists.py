"""Reading lists for users: import a parsed list, list, show, remove, export, and fill in
what later scans find.

Books match comics by ``domain.readlist_matching``. Candidates come from the metadata index
by series key (``MetadataBrowser.series_issues``: one read per library for the whole list),
then their ComicInfo from the index, so a list of a thousand books costs a few reads, not a
thousand. An ambiguous book (two copies of an issue, metadata too thin to tell) is linked to
the first candidate in issue order, so the list reads on, and reported as ambiguous.

Scoping: a user's list is matched against the libraries that user may see, a shared list
against every enabled library. Whoever shows a list sees an entry whose comic is in a
library they may not see as unresolved, as if the library lacked the comic: the list never
tells a reader what the other libraries hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bagboard.domain.browse import ComicRow
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.model import User
from bagboard.domain.pagination import MAX_PAGE_SIZE, Page, PageRequest
from bagboard.domain.readlist_matching import (
    ListCandidate,
    Match,
    MatchStatus,
    match_book,
    series_keys,
)
from bagboard.domain.readlists import ListBook, ParsedList, ReadingList, ReadingListEntry
from bagboard.ports.clock import Clock
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.reading_lists import ReadingLists
from bagboard.ports.user_store import UserStore
from bagboard.services.owners import require_owner
from bagboard.services.scope import visible_scope

__all__ = [
    "ImportReport",
    "ImportedBook",
    "ReadingListService",
    "ReadingListView",
    "readable_list",
]


@dataclass(frozen=True, slots=True)
class ImportedBook:
    """How one book of an imported list matched: ``comic_id`` is what the entry links to
    (the first candidate in issue order when ambiguous), ``candidates`` every comic left."""

    position: int
    book: ListBook
    status: MatchStatus
    comic_id: int | None = None
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The saved list and each of its books' outcome, in list order."""

    reading_list: ReadingList
    books: tuple[ImportedBook, ...]

    def _with(self, status: MatchStatus) -> tuple[ImportedBook, ...]:
        return tuple(book for book in self.books if book.status is status)

    @property
    def matched(self) -> tuple[ImportedBook, ...]:
        return self._with(MatchStatus.MATCHED)

    @property
    def ambiguous(self) -> tuple[ImportedBook, ...]:
        return self._with(MatchStatus.AMBIGUOUS)

    @property
    def missing(self) -> tuple[ImportedBook, ...]:
        return self._with(MatchStatus.MISSING)


@dataclass(frozen=True, slots=True)
class ReadingListView:
    """A list as one user sees it: its header (``resolved`` counting only entries this user
    may see) and a page of its entries, hidden ones unresolved."""

    reading_list: ReadingList
    entries: Page[ReadingListEntry]
    comics: Mapping[int, IndexedComic]  # the page's linked comics, by id


class _Candidates:
    """The comics a set of libraries holds under some series keys, each with its place in
    issue order (libraries in the order given, then ``series_issues``' order)."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[ListCandidate]] = {}
        self.order: dict[int, int] = {}

    def match(self, book: ListBook) -> Match:
        found = [c for key in series_keys(book) for c in self.by_key.get(key, ())]
        return match_book(book, found)

    def first(self, match: Match) -> int | None:
        """The comic to link: the match, or the first ambiguous candidate in issue order."""
        if not match.comic_ids:
            return None
        return min(match.comic_ids, key=lambda comic_id: self.order.get(comic_id, comic_id))


class ReadingListService:
    def __init__(
        self,
        lists: ReadingLists,
        metadata: MetadataBrowser,
        index: LibraryIndex,
        libraries: LibraryStore,
        users: UserStore,
        clock: Clock,
    ) -> None:
        self._lists = lists
        self._metadata = metadata
        self._index = index
        self._libraries = libraries
        self._users = users
        self._clock = clock

    def import_list(self, user: User, parsed: ParsedList, *, shared: bool) -> ImportReport:
        """Save ``parsed`` as the user's list (``shared``: everyone's, owners only), matching
        each book against the comics it may reach; importing a list of the same name again
        replaces its entries (``ReadingLists.save``)."""
        if shared:
            require_owner(user, "import a shared reading list")
        owner_id = None if shared else user.id
        candidates = self._candidates(self._library_ids(owner_id), parsed.books)
        books: list[ImportedBook] = []
        for position, book in enumerate(parsed.books, start=1):
            match = candidates.match(book)
            books.append(
                ImportedBook(position, book, match.status, candidates.first(match), match.comic_ids)
            )
        saved = self._lists.save(
            owner_id,
            parsed.name,
            parsed.summary,
            [(b.book, b.comic_id) for b in books],
            self._clock.now(),
        )
        return ImportReport(saved, tuple(books))

    def lists(self, user: User) -> list[ReadingList]:
        """The user's own lists and the shared ones, by name."""
        return [self._visible_header(user, header) for header in self._lists.lists(user.id)]

    def show(self, user: User, list_id: int, page: PageRequest) -> ReadingListView:
        """A page of the list's entries; ``NotFound`` for a list that is not the user's own
        nor shared."""
        header = self._readable(user, list_id)
        entries = self._lists.entries(list_id, page)
        visible, comics = self._hide(user, entries.items)
        return ReadingListView(
            self._visible_header(user, header),
            Page(visible, entries.total, entries.request),
            comics,
        )

    def remove(self, user: User, list_id: int) -> ReadingList:
        """Delete one of the user's lists, or (an owner) a shared list."""
        header = self._readable(user, list_id)
        if header.owner_id is None:
            require_owner(user, "remove a shared reading list")
        self._lists.remove(list_id)
        return header

    def export(self, user: User, list_id: int) -> tuple[str, str, list[ListBook]]:
        """The list's name, summary and books as its file named them, in order (every
        entry: what the list names is no secret, only where the comics are)."""
        header = self._readable(user, list_id)
        books = [entry.book for entry in self._all_entries(list_id)]
        return header.name, header.summary, books

    def resolve_pending(self) -> int:
        """Match every unresolved entry again (after a scan); returns how many now link.
        Candidates are read once per list owner (and once for the shared lists)."""
        owners: dict[int, int | None] = {}
        pending: dict[int | None, list[tuple[int, ReadingListEntry]]] = {}
        for list_id, entry in self._lists.unresolved():
            if list_id not in owners:
                header = self._lists.get(list_id)
                if header is None:
                    continue  # removed meanwhile
                owners[list_id] = header.owner_id
            pending.setdefault(owners[list_id], []).append((list_id, entry))
        resolved = 0
        for owner_id, entries in pending.items():
            candidates = self._candidates(
                self._library_ids(owner_id), [entry.book for _, entry in entries]
            )
            for list_id, entry in entries:
                comic_id = candidates.first(candidates.match(entry.book))
                if comic_id is not None:
                    self._lists.resolve(list_id, entry.position, comic_id)
                    resolved += 1
        return resolved

    # --- helpers -----------------------------------------------------------------------------

    def _library_ids(self, owner_id: int | None) -> tuple[int, ...]:
        """The libraries a list of ``owner_id`` matches against (None: shared, every one)."""
        if owner_id is None:
            return tuple(library.id for library in self._libraries.list(enabled_only=True))
        owner = self._users.get(owner_id)
        if owner is None:
            return ()
        return visible_scope(self._libraries, owner).library_ids

    def _candidates(self, library_ids: Sequence[int], books: Sequence[ListBook]) -> _Candidates:
        keys = sorted({key for book in books for key in series_keys(book)})
        found = _Candidates()
        if not keys:
            return found
        rows: list[tuple[str, ComicRow]] = []
        for library_id in library_ids:
            for key, series_rows in self._metadata.series_issues(library_id, keys).items():
                rows.extend((key, row) for row in series_rows)
        comics = self._index.comics([row.id for _, row in rows])
        for key, row in rows:
            comic = comics.get(row.id)
            if comic is None or comic.comic_info is None:
                continue
            found.order.setdefault(row.id, len(found.order))
            found.by_key.setdefault(key, []).append(
                ListCandidate.from_comic_info(row.id, comic.comic_info)
            )
        return found

    def _readable(self, user: User, list_id: int) -> ReadingList:
        return readable_list(self._lists, user, list_id)

    def _all_entries(self, list_id: int) -> list[ReadingListEntry]:
        entries: list[ReadingListEntry] = []
        page = PageRequest(1, MAX_PAGE_SIZE)
        while True:
            got = self._lists.entries(list_id, page)
            entries.extend(got.items)
            if not got.items or len(entries) >= got.total:
                return entries
            page = PageRequest(page.page + 1, MAX_PAGE_SIZE)

    def _hide(
        self, user: User, entries: Sequence[ReadingListEntry]
    ) -> tuple[list[ReadingListEntry], dict[int, IndexedComic]]:
        """``entries`` with links to comics outside the user's libraries cleared, and the
        comics still linked."""
        linked = [e.comic_id for e in entries if e.comic_id is not None]
        if not linked:
            return list(entries), {}
        allowed = set(visible_scope(self._libraries, user).library_ids)
        comics = {
            comic_id: comic
            for comic_id, comic in self._index.comics(linked).items()
            if comic.library_id in allowed
        }
        shown = [
            entry
            if entry.comic_id is None or entry.comic_id in comics
            else replace(entry, comic_id=None)
            for entry in entries
        ]
        return shown, comics

    def _visible_header(self, user: User, header: ReadingList) -> ReadingList:
        """The header with ``resolved`` counting what the user may see: recounted unless the
        user sees every library (or the list links nothing)."""
        if header.resolved == 0 or user.library_ids is None:
            return header
        entries, _ = self._hide(user, self._all_entries(header.id))
        return replace(header, resolved=sum(1 for e in entries if e.comic_id is not None))


def readable_list(lists: ReadingLists, user: User, list_id: int) -> ReadingList:
    """The list's header when ``user`` may read it (their own, or shared); ``NotFound``
    otherwise, exactly as for a list that does not exist."""
    header = lists.get(list_id)
    if header is None or header.owner_id not in (None, user.id):
        raise NotFound("no such reading list")
    return header
