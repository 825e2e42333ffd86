"""What every protocol shows of reading lists and story arcs, and what to read next.

Reading lists (``services.reading_lists``) and story arcs (``ports.story_arcs``) are both an
ordered run of comics; protocols show them side by side as ``ComicList``s, told apart by
``kind`` (and, where one id space must hold both, by ``list_ref``: ``"12"`` for reading list
12, ``"arc-12"`` for arc 12). Their comics come as the usual issue items, each with the user's
reading, limited to the libraries the user may see.

"What to read next" is two lists, both most recent activity first:

- **continue reading**: comics the user has started and not marked read;
- **on deck**: for each series and each reading list the user is in the middle of (a comic of
  it read, none started and unfinished: that one is in "continue reading"), its first comic
  not read yet. A comic that is next in several of them shows once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from bagboard.domain.browse import ComicRow
from bagboard.domain.errors import NotFound
from bagboard.domain.model import Role, User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import NOT_READ, ComicReading
from bagboard.domain.readlists import ReadingList
from bagboard.domain.story_arcs import StoryArc
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.progress_store import ProgressStore
from bagboard.ports.reading_lists import ReadingLists
from bagboard.ports.story_arcs import StoryArcs
from bagboard.services.listings import IssueItem, issue_items
from bagboard.services.reading_lists import readable_list
from bagboard.services.scope import visible_scope
from bagboard.services.series_catalog import SeriesCatalog

__all__ = ["ARC_PREFIX", "ComicList", "ListKind", "ReadingOrderService", "list_ref", "parse_ref"]

ARC_PREFIX = "arc-"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Comic ids per read of readings: far below every driver's limit on parameters.
_CHUNK = 500
_T = TypeVar("_T")


class ListKind(StrEnum):
    READING_LIST = "list"
    STORY_ARC = "arc"


@dataclass(frozen=True, slots=True)
class ComicList:
    """A reading list or a story arc as one user sees it.

    ``entries``: every entry of a reading list (resolved or not), the visible comics of an
    arc; ``comics``: the distinct comics the user may see in it; ``cover_comic_id``: the first
    of them. ``shared``: every user sees it (shared lists, arcs); ``editable``: this user may
    replace or remove it (their own lists; shared ones for an owner; never an arc).
    ``updated_at`` is None for arcs (the index keeps them)."""

    kind: ListKind
    id: int
    name: str
    summary: str
    shared: bool
    editable: bool
    entries: int
    comics: int
    cover_comic_id: int | None
    updated_at: datetime | None = None

    @property
    def ref(self) -> str:
        return list_ref(self.kind, self.id)


def list_ref(kind: ListKind, list_id: int) -> str:
    """One string id for reading lists and arcs together: ``"12"``, ``"arc-12"``."""
    return f"{ARC_PREFIX}{list_id}" if kind is ListKind.STORY_ARC else str(list_id)


def parse_ref(text: str) -> tuple[ListKind, int] | None:
    """``list_ref`` read back; None for anything else (a client's guess, a stale id)."""
    kind = ListKind.READING_LIST
    if text.startswith(ARC_PREFIX):
        kind, text = ListKind.STORY_ARC, text[len(ARC_PREFIX) :]
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return kind, int(text)


class ReadingOrderService:
    def __init__(
        self,
        lists: ReadingLists,
        arcs: StoryArcs,
        progress: ProgressStore,
        libraries: LibraryStore,
        series: SeriesCatalog,
        index: LibraryIndex,
    ) -> None:
        self._index = index
        self._lists = lists
        self._arcs = arcs
        self._progress = progress
        self._libraries = libraries
        self._series = series

    # --- lists and arcs ----------------------------------------------------------------------

    def reading_lists(self, user: User) -> list[ComicList]:
        """The user's own reading lists and the shared ones, by name."""
        return self._list_views(user, self._lists.lists(user.id), self._visible(user))

    def story_arcs(self, user: User, page: PageRequest) -> Page[ComicList]:
        """A page of the arcs with comics the user may see, by name."""
        arcs = self._arcs.arcs(self._visible(user), page)
        return Page([_arc_view(arc) for arc in arcs.items], arcs.total, arcs.request)

    def get(self, user: User, kind: ListKind, list_id: int) -> ComicList:
        """One list or arc; ``NotFound`` when the user may not see it."""
        visible = self._visible(user)
        if kind is ListKind.STORY_ARC:
            arc = self._arcs.get(list_id, visible)
            if arc is None:
                raise NotFound("no such story arc")
            return _arc_view(arc)
        return self._list_views(user, [self._readable(user, list_id)], visible)[0]

    def issues(
        self, user: User, kind: ListKind, list_id: int, page: PageRequest
    ) -> Page[IssueItem]:
        """A page of the list's (arc's) comics the user may see, in reading order, with the
        user's readings; ``NotFound`` as ``get``."""
        visible = self._visible(user)
        if kind is ListKind.STORY_ARC:
            comics = self._arcs.comics(list_id, visible, page)
            if comics.total == 0 and self._arcs.get(list_id, visible) is None:
                raise NotFound("no such story arc")
        else:
            self._readable(user, list_id)
            comics = self._lists.linked(list_id, visible, page)
        return self._enrich(user, comics)

    def containing(self, user: User, comic_id: int) -> list[ComicList]:
        """The reading lists (the user's own and shared) and arcs that hold the comic, lists
        first, each by name; empty when the user may not see the comic."""
        visible = self._visible(user)
        comic = self._index.comic(comic_id)
        if comic is None or comic.library_id not in visible:
            return []
        headers = [
            header
            for list_id in self._lists.containing(comic_id)
            if (header := self._lists.get(list_id)) is not None
            and header.owner_id in (None, user.id)
        ]
        lists = self._list_views(user, headers, visible)
        lists.sort(key=lambda view: (view.name.casefold(), view.id))
        return lists + [_arc_view(arc) for arc in self._arcs.arcs_of(comic_id, visible)]

    # --- what to read next ---------------------------------------------------------------------

    def continue_reading(self, user: User, page: PageRequest) -> Page[IssueItem]:
        """Comics the user has started and not marked read, the most recently read first."""
        return self._enrich(user, self._progress.keep_reading(user.id, self._visible(user), page))

    def on_deck(self, user: User, page: PageRequest) -> Page[IssueItem]:
        """The next comic of each series and reading list the user is in the middle of, the
        most recent activity first (ties: the smaller comic id)."""
        visible = self._visible(user)
        touched = self._progress.touched(user.id, visible)
        found: list[tuple[datetime, ComicRow, ComicReading]] = []
        for view in self._series.touched_series(user, visible, touched):
            pairs = [(comic, view.readings.get(comic.id, NOT_READ)) for comic in view.comics]
            found.extend((at, comic.as_row(), reading) for at, comic, reading in _next_of(pairs))
        found.extend(self._next_in_lists(user, visible, touched))
        found.sort(key=lambda item: (-item[0].timestamp(), item[1].id))
        seen: set[int] = set()
        items: list[IssueItem] = []
        for _, comic, reading in found:
            if comic.id not in seen:
                seen.add(comic.id)
                items.append(IssueItem(comic, reading))
        return Page(items[page.offset : page.offset + page.limit], len(items), page)

    def _next_in_lists(
        self, user: User, visible: Sequence[int], touched: Sequence[int]
    ) -> list[tuple[datetime, ComicRow, ComicReading]]:
        """``on_deck``'s share from reading lists: the lists holding a comic the user has
        touched (``touched``, of the ``visible`` libraries), the ids of their comics in one
        read, the readings of the touched ones (any other is not read), and the rows of the
        few comics that come next."""
        # A list with no comic the user has touched has none read: it is not begun.
        begun = set(self._lists.containing_any(touched)) if touched else set()
        headers = [header for header in self._lists.lists(user.id) if header.id in begun]
        linked = self._lists.linked_ids([h.id for h in headers], visible) if headers else {}
        if not linked:
            return []
        wanted = sorted({c for ids in linked.values() for c in ids}.intersection(touched))
        readings: dict[int, ComicReading] = {}
        for start in range(0, len(wanted), _CHUNK):
            readings.update(self._progress.readings(user.id, wanted[start : start + _CHUNK]))
        picked = [
            found
            for header in headers
            for found in _next_of(
                [(c, readings.get(c, NOT_READ)) for c in linked.get(header.id, ())]
            )
        ]
        comics = self._index.comics(sorted({comic_id for _, comic_id, _ in picked}))
        return [
            (at, comics[comic_id].as_row(), reading)
            for at, comic_id, reading in picked
            if comic_id in comics
        ]

    # --- helpers -------------------------------------------------------------------------------

    def _visible(self, user: User) -> tuple[int, ...]:
        return visible_scope(self._libraries, user).library_ids

    def _readable(self, user: User, list_id: int) -> ReadingList:
        return readable_list(self._lists, user, list_id)

    def _list_views(
        self, user: User, headers: Sequence[ReadingList], visible: Sequence[int]
    ) -> list[ComicList]:
        """The lists as ``ComicList``s, their comics counted and covers found in one read."""
        counts = self._lists.linked_counts([h.id for h in headers], visible) if headers else {}
        return [_list_view(user, header, counts.get(header.id)) for header in headers]

    def _enrich(self, user: User, comics: Page[ComicRow]) -> Page[IssueItem]:
        return issue_items(self._progress, user.id, comics)


def _list_view(user: User, header: ReadingList, linked: tuple[int, int] | None) -> ComicList:
    """``linked``: the list's visible comics counted and the first of them; None for none."""
    shared = header.owner_id is None
    return ComicList(
        kind=ListKind.READING_LIST,
        id=header.id,
        name=header.name,
        summary=header.summary,
        shared=shared,
        editable=not shared or user.role is Role.OWNER,
        entries=header.entries,
        comics=0 if linked is None else linked[0],
        cover_comic_id=None if linked is None else linked[1],
        updated_at=header.updated_at,
    )


def _arc_view(arc: StoryArc) -> ComicList:
    return ComicList(
        kind=ListKind.STORY_ARC,
        id=arc.id,
        name=arc.name,
        summary="",
        shared=True,
        editable=False,
        entries=arc.comics,
        comics=arc.comics,
        cover_comic_id=arc.first_comic_id,
    )


def _next_of(
    rows: Sequence[tuple[_T, ComicReading]],
) -> Iterable[tuple[datetime, _T, ComicReading]]:
    """The first unread comic of a run the user is in the middle of, with the run's latest
    activity; nothing when none is read, one is started and unfinished, or all are read."""
    read = False
    following: tuple[_T, ComicReading] | None = None
    latest: datetime | None = None
    for comic, reading in rows:
        position = reading.position
        if position is not None:
            if not reading.is_read:
                return ()
            if latest is None or position.updated_at > latest:
                latest = position.updated_at
        if reading.is_read:
            read = True
        elif following is None:
            following = (comic, reading)
    if not read or following is None:
        return ()
    return ((_EPOCH if latest is None else latest, following[0], following[1]),)
