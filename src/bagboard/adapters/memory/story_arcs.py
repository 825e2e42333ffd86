"""Story arcs (``ports/story_arcs.py``) derived from the memory index's comics.

Every read goes through the comics of the libraries asked for, which is what a memory index
is for (tests, small setups). An arc's id is handed out the first time its key is seen and
kept for the life of the process, as the SQL store keeps it in ``story_arcs``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from bagboard.adapters.memory.browse_rows import comic_row
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.domain.browse import ComicRow, display_name
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.story_arcs import ArcPart, StoryArc, arc_parts
from bagboard.ports.story_arcs import StoryArcs

__all__ = ["MemoryStoryArcs"]

# (unnumbered, arc number, year unknown, year, issue sort key, comic id): the reading order.
_Order = tuple[bool, float, bool, int, str, int]


@dataclass(slots=True)
class _Arc:
    key: str
    names: Counter[str] = field(default_factory=Counter)
    members: list[tuple[_Order, IndexedComic]] = field(default_factory=list)


def _year(year: str) -> int | None:
    # The SQL index's rule: only plain years become numbers ("c. 1985" stays unknown).
    if year.isascii() and year.isdigit() and len(year) <= 4:
        return int(year)
    return None


def _order(comic: IndexedComic, part: ArcPart) -> _Order:
    info = comic.comic_info
    year = _year(info.year) if info is not None else None
    number = natural_sort_text(info.number if info is not None else "")
    arc_number = part.number_sort
    return (arc_number is None, arc_number or 0.0, year is None, year or 0, number, comic.id)


class MemoryStoryArcs(StoryArcs):
    def __init__(self, index: MemoryLibraryIndex) -> None:
        self._index = index
        self._ids: dict[str, int] = {}
        self._next_id = count(1)
        self._lock = threading.Lock()

    def arcs(self, library_ids: Sequence[int], page: PageRequest) -> Page[StoryArc]:
        found = self._arcs(library_ids)
        ordered = sorted(found, key=lambda arc_id: (natural_sort_text(found[arc_id].key), arc_id))
        shown = ordered[page.offset : page.offset + page.limit]
        return Page([_shown(arc_id, found[arc_id]) for arc_id in shown], len(ordered), page)

    def get(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        arc = self._arcs(library_ids).get(arc_id)
        return None if arc is None else _shown(arc_id, arc)

    def comics(self, arc_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        arc = self._arcs(library_ids).get(arc_id)
        members = [] if arc is None else arc.members
        shown = members[page.offset : page.offset + page.limit]
        return Page([comic_row(comic) for _, comic in shown], len(members), page)

    def arcs_of(self, comic_id: int, library_ids: Sequence[int]) -> list[StoryArc]:
        found = self._arcs(library_ids)
        held = [
            arc_id
            for arc_id, arc in found.items()
            if any(comic.id == comic_id for _, comic in arc.members)
        ]
        held.sort(key=lambda arc_id: (natural_sort_text(found[arc_id].key), arc_id))
        return [_shown(arc_id, found[arc_id]) for arc_id in held]

    def _arcs(self, library_ids: Sequence[int]) -> dict[int, _Arc]:
        """The arcs with comics in these libraries by id, their comics in reading order."""
        wanted = set(library_ids)
        comics = self._index.contents().comics
        found: dict[int, _Arc] = {}
        with self._lock:
            for comic_id in sorted(comics):
                comic = comics[comic_id]
                info = comic.comic_info
                if info is None or not info.story_arc:
                    continue
                parts = arc_parts(info.story_arc, info.story_arc_number)
                for part in parts:
                    # Ids go to keys as they are first seen, wherever the comic lives.
                    arc_id = self._ids.get(part.key)
                    if arc_id is None:
                        arc_id = self._ids[part.key] = next(self._next_id)
                    if comic.library_id not in wanted:
                        continue
                    arc = found.get(arc_id)
                    if arc is None:
                        arc = found[arc_id] = _Arc(part.key)
                    arc.names[part.name] += 1
                    arc.members.append((_order(comic, part), comic))
        for arc in found.values():
            arc.members.sort(key=lambda member: member[0])
        return found


def _shown(arc_id: int, arc: _Arc) -> StoryArc:
    first = arc.members[0][1].id if arc.members else None
    return StoryArc(arc_id, display_name(arc.names.items()), len(arc.members), first)
