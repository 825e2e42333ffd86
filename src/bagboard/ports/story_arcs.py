from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.story_arcs import StoryArc

__all__ = ["StoryArcs"]


class StoryArcs(Protocol):
    """Story arcs as the index holds them (``domain.story_arcs``): kept by every index write
    from the comics' ComicInfo, read-only to everyone else.

    An arc's id is stable for its key while the index holds a comic of it (and after: ids are
    never handed to another key). Every read is limited to comics of ``library_ids``: an arc
    with none of its comics there does not exist for that read. ``StoryArc.name`` is the most
    common spelling among those comics (``browse.display_name``).

    SQL stores raise ``StorageUnavailable`` when the database is locked or unreachable.
    """

    def arcs(self, library_ids: Sequence[int], page: PageRequest) -> Page[StoryArc]:
        """A page of the arcs with comics in ``library_ids``, by key in natural order (ties
        by id), each with its comic count and first comic (``comics``' order)."""
        ...

    def get(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        """One arc as ``arcs`` shows it; None when it has no comic in ``library_ids``."""
        ...

    def comics(self, arc_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        """A page of the arc's comics in ``library_ids`` in reading order: arc number (the
        unnumbered last), then year (unknown last), then issue number in natural order, then
        comic id."""
        ...

    def arcs_of(self, comic_id: int, library_ids: Sequence[int]) -> list[StoryArc]:
        """The arcs the comic is part of, by key in natural order, each as ``get`` shows it;
        empty when the comic is not in ``library_ids`` (or not indexed)."""
        ...
