"""Komga's read lists: bagboard's reading lists and, read-only, its story arcs (Komga itself
makes read lists of ComicInfo ``StoryArc``), over ``ReadingOrderService``.

**Ids.** Komga ids are digits and read lists are one id space: a reading list keeps its own
id, a story arc is ``KOMGA_ARC_BASE`` plus its id. Reading-list ids never get near the base.

**Books.** A read list's books are the comics the user may see in it, in list order, each
once (``ReadingOrderService.issues``), that are Komga books: a comic with no ComicInfo
``Series`` is in no Komga series, so it is left out like a hidden one. ``filtered`` (Komga:
the book ids are not the whole list) says something was left out: comics without a series,
comics of libraries the user may not see, or of libraries a ``library_id`` filter leaves out.
What scoping hides is counted by asking for the same list as the same user seeing every
library (``_everywhere``): only a count and a list's dates are ever read that way, never a
book.

**Dates.** A reading list's ``createdDate`` and ``lastModifiedDate`` are its own; an arc has
none, so it takes its books' (the earliest and the latest added), the epoch when it has none.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Final

from bagboard.adapters.http.komga.book_order import Entry
from bagboard.adapters.http.komga.wire import ReadListDto, instant
from bagboard.domain.browse import ComicRow, grouping_key
from bagboard.domain.errors import NotFound
from bagboard.domain.model import User
from bagboard.domain.pagination import MAX_PAGE_SIZE, PageRequest
from bagboard.domain.readlists import ReadingList
from bagboard.services.issues import IssueService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ComicList, ListKind, ReadingOrderService
from bagboard.services.series_catalog import SeriesCatalog

__all__ = [
    "FEW_SERIES",
    "KOMGA_ARC_BASE",
    "ReadList",
    "ReadLists",
    "komga_list_id",
    "list_books",
    "list_series",
    "parse_list_id",
    "read_list_dto",
]

# The first Komga id of a story arc: arc 7 is read list 1000000000007.
KOMGA_ARC_BASE: Final = 10**12
# Longer ids name nothing (and never reach the stores as huge integers).
_MAX_ID_DIGITS: Final = 18
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
# Up to this many series, a list's books are read series by series; beyond, library-wide.
FEW_SERIES: Final = 16


def komga_list_id(kind: ListKind, list_id: int) -> str:
    return str(KOMGA_ARC_BASE + list_id if kind is ListKind.STORY_ARC else list_id)


def parse_list_id(raw: str) -> tuple[ListKind, int] | None:
    """``komga_list_id`` read back; None for anything that is not one (then 404)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_ID_DIGITS:
        return None
    number = int(raw)
    if number >= KOMGA_ARC_BASE:
        return ListKind.STORY_ARC, number - KOMGA_ARC_BASE
    return ListKind.READING_LIST, number


def _everywhere(user: User) -> User:
    """The same user seeing every library (see the module docstring for what it reads)."""
    return replace(user, library_ids=None)


def _komga_book(row: ComicRow) -> bool:
    return bool(grouping_key(row.series))


@dataclass(frozen=True, slots=True)
class ReadList:
    """One read list as the user gets it: its books (``rows``, in list order) and dates."""

    found: ComicList
    rows: tuple[ComicRow, ...]
    created: datetime
    modified: datetime
    filtered: bool

    @property
    def id(self) -> str:
        return komga_list_id(self.found.kind, self.found.id)


def read_list_dto(shown: ReadList) -> ReadListDto:
    return ReadListDto(
        id=shown.id,
        name=shown.found.name,
        summary=shown.found.summary,
        ordered=True,
        book_ids=[str(row.id) for row in shown.rows],
        created_date=instant(shown.created),
        last_modified_date=instant(shown.modified),
        filtered=shown.filtered,
    )


class ReadLists:
    """The read lists of one user, for one request: what it reads is kept until then."""

    def __init__(self, orders: ReadingOrderService, lists: ReadingListService, user: User) -> None:
        self.orders = orders
        self.lists = lists
        self.user = user
        self._rows: dict[tuple[ListKind, int], list[ComicRow]] = {}
        self._headers: dict[int, ReadingList] | None = None

    def all(self) -> list[ComicList]:
        """The user's reading lists (own and shared) by name, then the arcs by name."""
        found = list(self.orders.reading_lists(self.user))
        request = PageRequest(1, MAX_PAGE_SIZE)
        while True:
            arcs = self.orders.story_arcs(self.user, request)
            found.extend(arcs.items)
            if not arcs.items or request.page * MAX_PAGE_SIZE >= arcs.total:
                return found
            request = PageRequest(request.page + 1, MAX_PAGE_SIZE)

    def get(self, raw_id: str) -> ComicList:
        """One read list by its Komga id; ``NotFound`` for a hidden, missing or bad id."""
        parsed = parse_list_id(raw_id)
        if parsed is None:
            raise NotFound("no such read list")
        try:
            return self.orders.get(self.user, *parsed)
        except NotFound:
            raise NotFound("no such read list") from None

    def members(self, raw_id: str) -> tuple[int, ...]:
        """The comic ids of a read list's Komga books in list order; none for an id that
        names no read list the user may see (a search naming it then finds nothing)."""
        try:
            found = self.get(raw_id)
        except NotFound:
            return ()
        return tuple(row.id for row in self.books(found))

    def containing(self, comic_id: int) -> list[ComicList]:
        return self.orders.containing(self.user, comic_id)

    def rows(self, found: ComicList) -> list[ComicRow]:
        """Every comic of the list the user may see, in list order, each once."""
        key = (found.kind, found.id)
        if key not in self._rows:
            rows: list[ComicRow] = []
            request = PageRequest(1, MAX_PAGE_SIZE)
            while True:
                page = self.orders.issues(self.user, found.kind, found.id, request)
                rows.extend(item.comic for item in page.items)
                if not page.items or len(rows) >= page.total:
                    break
                request = PageRequest(request.page + 1, MAX_PAGE_SIZE)
            self._rows[key] = rows
        return self._rows[key]

    def books(self, found: ComicList, libraries: Collection[int] = ()) -> list[ComicRow]:
        """``rows`` that are Komga books (in a series), of ``libraries`` only when given."""
        return [
            row
            for row in self.rows(found)
            if _komga_book(row) and (not libraries or row.library_id in libraries)
        ]

    def read_list(self, found: ComicList, libraries: Collection[int] = ()) -> ReadList:
        """The list with its Komga books, of ``libraries`` only when given."""
        every = self.rows(found)
        rows = self.books(found, libraries)
        created, modified = self.dates(found)
        filtered = len(rows) < len(every) or self._hidden(found)
        return ReadList(found, tuple(rows), created, modified, filtered)

    def dates(self, found: ComicList) -> tuple[datetime, datetime]:
        """(created, last modified) of a list."""
        if found.kind is ListKind.READING_LIST:
            header = self._header(found.id)
            if header is not None:
                return header.created_at, header.updated_at
            stamp = found.updated_at or _EPOCH
            return stamp, stamp
        added = [row.added_at for row in self.rows(found)]
        return (min(added), max(added)) if added else (_EPOCH, _EPOCH)

    def _header(self, list_id: int) -> ReadingList | None:
        if self._headers is None:
            headers = self.lists.lists(_everywhere(self.user))
            self._headers = {header.id: header for header in headers}
        return self._headers.get(list_id)

    def _hidden(self, found: ComicList) -> bool:
        """Whether scoping hides comics of the list from this user."""
        if self.user.library_ids is None:
            return False
        try:
            whole = self.orders.get(_everywhere(self.user), found.kind, found.id)
        except NotFound:
            return False
        return whole.comics > found.comics


def list_books(
    komga: SeriesCatalog, issues: IssueService, user: User, rows: Sequence[ComicRow]
) -> list[Entry]:
    """The rows as Komga books with their series, in the rows' order. A few series are read
    one by one (a comic of each names it: ``SeriesCatalog.series_of``); more, as every
    series of the rows' libraries in a few queries (``SeriesCatalog.all_series``)."""
    wanted: dict[tuple[int, str], int] = {}
    for row in rows:
        wanted.setdefault((row.library_id, grouping_key(row.series)), row.id)
    if not wanted:
        return []
    if len(wanted) <= FEW_SERIES:
        views = []
        for comic_id in wanted.values():
            try:
                views.append(komga.series_of(user, issues.comic(user, comic_id)))
            except NotFound:
                continue
    else:
        views = komga.all_series(user, sorted({library for library, _ in wanted}))
    where = {
        book.comic.id: (book, view)
        for view in views
        if (view.library_id, view.key) in wanted
        for book in view.books
    }
    return [where[row.id] for row in rows if row.id in where]


def list_series(
    komga: SeriesCatalog, issues: IssueService, lists: ReadLists, raw_ids: Collection[str]
) -> set[int]:
    """The ids of the Komga series holding a book of these read lists (unknown ids: none)."""
    rows: list[ComicRow] = []
    for raw in sorted(raw_ids):
        try:
            rows.extend(lists.books(lists.get(raw)))
        except NotFound:
            continue
    return {series.id for _, series in list_books(komga, issues, lists.user, rows)}
