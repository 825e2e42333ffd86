"""Which comics a search finds (``MetadataBrowser.search``): those whose series key contains
``grouping_key(query)``, or whose title or file name, lower-cased by Python, contains
``query.lower()``. The same rule as the series search (``series_search``) and the memory
adapter, applied to each comic rather than to each series.

Neither database can apply that rule itself (SQLite folds ASCII letters only, PostgreSQL
folds by its locale), so the databases find candidates that surely include every match, and
Python keeps the exact ones:

- comics of the series the series search finds: its index of substrings holds every
  comic's lower-cased title and name, so a matching comic's series is among them;
- comics in no series (which no series row holds), by a loose ``LIKE`` (``loose_pattern``).

The matches are ordered by series key in natural order, then issue number and file name in
natural order, then id; an empty series key (no series) comes first. The ordered ids are
kept for as long as the index stays the same generation, so paging through results costs
one read of the page's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, bindparam, or_, select

from bagboard.adapters.storage.browse.folders import COMIC, empty
from bagboard.adapters.storage.browse.series_search import matching_series, search_for
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics
from bagboard.adapters.storage.index.generation import GenerationCache, IndexVersion, kept
from bagboard.domain.browse import ComicRow, grouping_key
from bagboard.domain.naturalsort import natural_sort_text
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["ComicSearch", "loose_pattern"]

# Searches kept per browser: each an id per match (a one-letter query may match most of a
# library), so fewer than series searches.
_SEARCHES_KEPT = 32
_ESCAPE = "\\"

_PAGE_ROWS = Prepared(COMIC.where(comics.c.id.in_(bindparam("ids", expanding=True))))


def loose_pattern(lowered: str) -> str:
    """A ``LIKE`` pattern that matches every text whose Python ``lower()`` contains
    ``lowered``, under a ``LIKE`` that folds ASCII letters only (or more).

    Only ASCII letters fold into ASCII letters, except two: KELVIN SIGN lowers to ``k`` and
    I WITH DOT ABOVE to ``i`` and a combining dot. So ``k`` matches any one character,
    ``i`` and every non-ASCII character (whatever folds into it) any run, and the rest
    match literally.
    """
    parts: list[str] = []
    for char in lowered:
        if char in (_ESCAPE, "%", "_"):
            parts.append(_ESCAPE + char)
        elif char == "k":
            parts.append("_")
        elif char == "i" or not char.isascii():
            parts.append("%")
        else:
            parts.append(char)
    return f"%{''.join(parts)}%"


def _candidates(dialect: str, library_ids: Sequence[int], query: str) -> Select[Any]:
    """Every comic that may match, with what the exact rule and the order read."""
    loose = loose_pattern(query.lower())
    fields = (comics.c.title, comics.c.name)
    by_text: list[ColumnElement[bool]] = [
        field.ilike(loose, escape=_ESCAPE)
        if dialect == "postgresql"
        else field.like(loose, escape=_ESCAPE)
        for field in fields
    ]
    if search_for(dialect, query).kind == "comics":
        # The series search would answer from the comics with the database's folding: look
        # at every visible comic loosely instead.
        by_key = comics.c.series_key.like(loose_pattern(grouping_key(query)), escape=_ESCAPE)
        found = or_(by_key, *by_text)
    else:
        in_series = comics.c.series_key.in_(matching_series(dialect, library_ids, None, query))
        found = or_(in_series, (comics.c.series_key == "") & or_(*by_text))
    return select(
        comics.c.id,
        comics.c.series_key,
        comics.c.number_sort,
        comics.c.name_sort,
        comics.c.title,
        comics.c.name,
    ).where(comics.c.library_id.in_(library_ids), found)


def _matching_ids(engine: Engine, library_ids: Sequence[int], query: str) -> tuple[int, ...]:
    key, text = grouping_key(query), query.lower()
    statement = _candidates(engine.dialect.name, library_ids, query)
    with translate_errors(), engine.connect() as conn:
        rows = conn.execute(statement).all()
    matches = [
        row
        for row in rows
        if key in row.series_key or text in row.title.lower() or text in row.name.lower()
    ]
    # Many matches share a series: its sort text is worked out once.
    series_sort = {key: natural_sort_text(key) for key in {row.series_key for row in matches}}
    matches.sort(
        key=lambda row: (
            series_sort[row.series_key],
            row.series_key,
            row.number_sort,
            row.name_sort,
            row.id,
        )
    )
    return tuple(row.id for row in matches)


class ComicSearch:
    """Searches of one engine, with the matches of recent ones kept."""

    def __init__(self, engine: Engine, version: IndexVersion) -> None:
        self._engine = engine
        self._version = version
        self._kept: GenerationCache[tuple[int, ...]] = GenerationCache(_SEARCHES_KEPT)

    def page(self, library_ids: Sequence[int], query: str, page: PageRequest) -> Page[ComicRow]:
        if not library_ids:
            return empty(page)
        visible = tuple(sorted(set(library_ids)))
        generation = self._version.now(self._engine)
        ids = kept(
            self._kept,
            (visible, query),
            generation,
            lambda: _matching_ids(self._engine, visible, query),
        )
        wanted = ids[page.offset : page.offset + page.limit]
        if not wanted:
            return Page([], len(ids), page)
        with lean(self._engine) as conn:
            rows = conn.all(_PAGE_ROWS, ids=list(wanted))
        # A comic removed since the ids were read is left out of its page.
        by_id = {row[0]: ComicRow(*row) for row in rows}
        items = [by_id[comic_id] for comic_id in wanted if comic_id in by_id]
        return Page(items, len(ids), page)
