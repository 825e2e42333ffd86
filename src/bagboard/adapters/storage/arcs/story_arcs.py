"""Story arcs (``ports/story_arcs.py``) on SQLite or PostgreSQL.

Index writes keep ``comic_story_arcs`` (``index/arc_rows.py``); this side only reads. Every
read counts, names and orders an arc's comics in the given libraries alone, so an arc whose
comics are all elsewhere is no arc to that reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, bindparam, func, select

from bagboard.adapters.storage.browse.folders import COMIC, PagedStatement
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import lean
from bagboard.adapters.storage.db.tables import comic_story_arcs, comics, story_arcs
from bagboard.domain.browse import ComicRow, display_name
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.story_arcs import StoryArc
from bagboard.ports.story_arcs import StoryArcs

__all__ = ["SqlStoryArcs"]

_a = comic_story_arcs.c
_s = story_arcs.c

# An arc's reading order (``StoryArcs.comics``): PostgreSQL reads it straight from
# ix_comic_story_arcs_reading_order, whose NULLs sort last as asked here.
_READING_ORDER = (
    _a.number_sort.asc().nulls_last(),
    _a.year_int.asc().nulls_last(),
    _a.issue_sort,
    _a.comic_id,
)

_ARC_COMICS = PagedStatement(
    COMIC.join(comic_story_arcs, _a.comic_id == comics.c.id)
    .where(
        _a.arc_id == bindparam("arc_id"),
        _a.library_id.in_(bindparam("libraries", expanding=True)),
    )
    .order_by(*_READING_ORDER)
)


def _visible(libraries: Sequence[int]) -> ColumnElement[bool]:
    return _a.library_id.in_(libraries)


class SqlStoryArcs(StoryArcs):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def arcs(self, library_ids: Sequence[int], page: PageRequest) -> Page[StoryArc]:
        if not library_ids:
            return Page([], 0, page)
        libraries = list(library_ids)
        held = select(_a.arc_id).where(_visible(libraries)).group_by(_a.arc_id).subquery()
        ordered = (
            select(_s.id)
            .join(held, held.c.arc_id == _s.id)
            .order_by(_s.arc_sort, _s.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        total = select(func.count()).select_from(held)
        with translate_errors(), self._engine.connect() as conn:
            ids = list(conn.execute(ordered).scalars())
            count = conn.execute(total).scalar_one() if ids or page.offset else 0
            shown = _arcs(conn, ids, libraries)
        return Page(shown, count, page)

    def get(self, arc_id: int, library_ids: Sequence[int]) -> StoryArc | None:
        if not library_ids:
            return None
        with translate_errors(), self._engine.connect() as conn:
            found = _arcs(conn, [arc_id], list(library_ids))
        return found[0] if found else None

    def comics(self, arc_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        if not library_ids:
            return Page([], 0, page)
        with translate_errors(), lean(self._engine) as conn:
            return _ARC_COMICS.page(
                conn, page, ComicRow, arc_id=arc_id, libraries=list(library_ids)
            )

    def arcs_of(self, comic_id: int, library_ids: Sequence[int]) -> list[StoryArc]:
        if not library_ids:
            return []
        libraries = list(library_ids)
        query = select(_a.arc_id).where(_a.comic_id == comic_id, _visible(libraries))
        with translate_errors(), self._engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
            return _arcs(conn, ids, libraries) if ids else []


def _arcs(conn: Connection, ids: list[int], libraries: list[int]) -> list[StoryArc]:
    """These arcs as the libraries show them, by key in natural order; an arc with no comic
    there is left out."""
    if not ids:
        return []
    scope = (_a.arc_id.in_(ids), _visible(libraries))
    spellings: dict[int, list[tuple[str, int]]] = defaultdict(list)
    counted = select(_a.arc_id, _a.name, func.count()).where(*scope).group_by(_a.arc_id, _a.name)
    for arc_id, name, count in conn.execute(counted):
        spellings[arc_id].append((name, count))
    firsts: dict[int, int] = {arc_id: comic_id for arc_id, comic_id in conn.execute(_first(scope))}
    order = select(_s.id).where(_s.id.in_(list(spellings))).order_by(_s.arc_sort, _s.id)
    return [
        StoryArc(
            id=arc_id,
            name=display_name(spellings[arc_id]),
            comics=sum(count for _, count in spellings[arc_id]),
            first_comic_id=firsts.get(arc_id),
        )
        for arc_id in conn.execute(order).scalars()
    ]


def _first(scope: tuple[Any, ...]) -> Select[Any]:
    """Each arc's first comic in reading order."""
    ranked = (
        select(
            _a.arc_id,
            _a.comic_id,
            func.row_number().over(partition_by=_a.arc_id, order_by=_READING_ORDER).label("rank"),
        )
        .where(*scope)
        .subquery()
    )
    return select(ranked.c.arc_id, ranked.c.comic_id).where(ranked.c.rank == 1)
