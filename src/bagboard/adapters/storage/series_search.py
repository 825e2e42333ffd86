"""Which series a search finds: those with a comic whose series, title or file name contains
the query (contract §4.2), among the visible libraries and, when one is given, the publisher.

The series key is matched against ``grouping_key(query)`` (keys are Unicode-casefolded on
write). Titles and file names are matched through the facets' ``search_text``, where they are
lower-cased by Python, against ``query.lower()``: the same rule on every database and in the
memory adapter, non-ASCII letters included. ``%``, ``_`` and ``\\`` in the query match
literally.

A query holding ``SEARCH_SEPARATOR`` could match across two titles joined in ``search_text``;
it is answered from the comics instead, case-insensitively as each database can: ``ILIKE`` on
PostgreSQL, ``LIKE`` on SQLite, which folds ASCII letters only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from bagboard.adapters.storage.facet_tables import SEARCH_SEPARATOR, publisher_series_facets
from bagboard.adapters.storage.tables import comics
from bagboard.domain.browse import grouping_key

_ESCAPE = "\\"


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, every wildcard in it taken literally."""
    for char in (_ESCAPE, "%", "_"):
        text = text.replace(char, _ESCAPE + char)
    return f"%{text}%"


def matching_series(
    dialect: str, library_ids: Sequence[int], publisher_key: str | None, query: str
) -> Select[Any]:
    """The series keys ``query`` finds, as a subquery (a key may come more than once)."""
    text = query.lower()
    if SEARCH_SEPARATOR in text:
        return _matching_comics(dialect, library_ids, publisher_key, query)
    table = publisher_series_facets
    library: ColumnElement[int] = table.c.library_id
    if dialect == "sqlite":
        # Every row's text is read anyway: in table order that is twice as fast as in the
        # order of an index on the library, which SQLite would otherwise pick.
        library = library + 0
    where: list[ColumnElement[bool]] = [library.in_(library_ids)]
    if publisher_key is not None:
        where.append(table.c.publisher_key == publisher_key)
    hit = or_(
        table.c.series_key.like(_contains(grouping_key(query)), escape=_ESCAPE),
        table.c.search_text.like(_contains(text), escape=_ESCAPE),
    )
    return select(table.c.series_key).where(*where, hit)


def _matching_comics(
    dialect: str, library_ids: Sequence[int], publisher_key: str | None, query: str
) -> Select[Any]:
    by_text = _contains(query.lower())
    fields = (comics.c.title, comics.c.name)
    by_field: list[ColumnElement[bool]]
    if dialect == "postgresql":
        by_field = [field.ilike(by_text, escape=_ESCAPE) for field in fields]
    else:
        by_field = [field.like(by_text, escape=_ESCAPE) for field in fields]
    by_key = comics.c.series_key.like(_contains(grouping_key(query)), escape=_ESCAPE)
    where: list[ColumnElement[bool]] = [
        comics.c.library_id.in_(library_ids),
        comics.c.series_key != "",
    ]
    if publisher_key is not None:
        where.append(comics.c.publisher_key == publisher_key)
    return select(comics.c.series_key).where(*where, or_(by_key, *by_field))
