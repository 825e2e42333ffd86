"""Story arcs fixed by a test, over the real index: a ``StoryArcs`` (``ports/story_arcs.py``)
that holds arcs named in advance, each a run of comic ids in reading order, and answers every
read limited to the libraries asked for, as the port says."""

from __future__ import annotations

from collections.abc import Sequence

from bagboard.domain.browse import ComicRow
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.story_arcs import StoryArc
from bagboard.ports.library_index import LibraryIndex

__all__ = ["FixedArcs"]


class FixedArcs:
    def __init__(self, index: LibraryIndex, arcs: dict[int, tuple[str, list[int]]]) -> None:
        self._index = index
        self._arcs = arcs  # id -> (name, comic ids in reading order)

    def _comics(self, arc_id: int, library_ids: Sequence[int]) -> list[IndexedComic]:
        _, ids = self._arcs.get(arc_id, ("", []))
        found = self._index.comics(ids)
        return [c for i in ids if (c := found.get(i)) is not None and c.library_id in library_ids]

    def get(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        comics = self._comics(arc_id, library_ids)
        if not comics:
            return None
        return StoryArc(arc_id, self._arcs[arc_id][0], len(comics), comics[0].id)

    def arcs(self, library_ids: Sequence[int], page: PageRequest) -> Page[StoryArc]:
        found = [
            arc
            for arc_id in sorted(self._arcs, key=lambda a: self._arcs[a][0].casefold())
            if (arc := self.get(arc_id, library_ids)) is not None
        ]
        return Page(found[page.offset : page.offset + page.limit], len(found), page)

    def comics(self, arc_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        rows = [comic.as_row() for comic in self._comics(arc_id, library_ids)]
        return Page(rows[page.offset : page.offset + page.limit], len(rows), page)

    def arcs_of(self, comic_id: int, library_ids: Sequence[int]) -> list[StoryArc]:
        return [
            arc
            for arc in self.arcs(library_ids, PageRequest(1, 200)).items
            if comic_id in [c.id for c in self._comics(arc.id, library_ids)]
        ]
