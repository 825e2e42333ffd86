"""Which series a search finds: those with a comic whose series, title or file name contains
the query (contract §4.2), among the visible libraries and, when one is given, the publisher.

The series key is matched against ``grouping_key(query)`` (keys are Unicode-casefolded on
write). Titles and file names are matched through the facets' ``search_text``, where they are
lower-cased by Python, against ``query.lower()``: the same rule on every database and in the
memory adapter, non-ASCII letters included. ``%``, ``_`` and ``\\`` in the query match
literally.

Both read an index of substrings (``facet_tables.SERIES_SEARCH``): SQLite matches the query as
a phrase in its FTS5 trigram table, which finds exactly the rows holding that substring;
PostgreSQL serves the same ``LIKE`` from pg_trgm indexes. Trigrams need three characters, so
shorter queries (which match most series anyway) read every row.

A query holding ``SEARCH_SEPARATOR`` could match across two titles joined in ``search_text``;
it is answered from the comics instead, case-insensitively as each database can: ``ILIKE`` on
PostgreSQL, ``LIKE`` on SQLite, which folds ASCII letters only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    column,
    literal_column,
    or_,
    select,
)
from sqlalchemy import table as table_clause

from bagboard.adapters.storage.db.facet_tables import (
    SEARCH_SEPARATOR,
    SERIES_SEARCH,
    publisher_series_facets,
)
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.browse import grouping_key

__all__ = ["Search", "hits", "matching_series", "search_for"]

_ESCAPE = "\\"


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, every wildcard in it taken literally."""
    for char in (_ESCAPE, "%", "_"):
        text = text.replace(char, _ESCAPE + char)
    return f"%{text}%"


class Search(NamedTuple):
    """How one query is answered: a statement of the series keys it finds (a key may come
    more than once), with bound parameters ``search_libraries``, ``publisher`` when the
    search is within one publisher, and ``values``."""

    kind: str
    values: dict[str, Any]


def search_for(dialect: str, query: str) -> Search:
    text = query.lower()
    key = grouping_key(query)
    if SEARCH_SEPARATOR in text:
        return Search("comics", {})
    if dialect == "sqlite" and min(len(text), len(key)) >= _TRIGRAM:
        phrases = f"{_phrase('series_key', key)} OR {_phrase('search_text', text)}"
        return Search("index", {"match": phrases})
    return Search("scan", {"key_pattern": _contains(key), "text_pattern": _contains(text)})


@cache
def hits(dialect: str, kind: str, by_publisher: bool) -> Select[Any]:
    """The statement of a ``Search`` of this kind; built once."""
    if kind == "index":
        return _matching_rows(by_publisher)
    if kind == "scan":
        return _scanned_rows(dialect, by_publisher)
    raise ValueError(kind)


def matching_series(
    dialect: str, library_ids: Sequence[int], publisher_key: str | None, query: str
) -> Select[Any]:
    """The series keys ``query`` finds, as a statement with every value bound."""
    search = search_for(dialect, query)
    if search.kind == "comics":
        return _matching_comics(dialect, library_ids, publisher_key, query)
    values = {**search.values, "search_libraries": list(library_ids)}
    if publisher_key is not None:
        values["publisher"] = publisher_key
    return hits(dialect, search.kind, publisher_key is not None).params(**values)


def _scanned_rows(dialect: str, by_publisher: bool) -> Select[Any]:
    table = publisher_series_facets
    library: ColumnElement[int] = table.c.library_id
    if dialect == "sqlite":
        # Every row's text is read anyway: in table order that is twice as fast as in the
        # order of an index on the library, which SQLite would otherwise pick.
        library = library + 0
    where: list[ColumnElement[bool]] = [library.in_(_LIBRARIES)]
    if by_publisher:
        where.append(table.c.publisher_key == bindparam("publisher"))
    hit = or_(
        table.c.series_key.like(bindparam("key_pattern"), escape=_ESCAPE),
        table.c.search_text.like(bindparam("text_pattern"), escape=_ESCAPE),
    )
    return select(table.c.series_key).where(*where, hit)


_TRIGRAM = 3
_SEARCH = table_clause(SERIES_SEARCH, column("rowid"))
_MATCH: ColumnElement[str] = literal_column(SERIES_SEARCH)
_LIBRARIES: BindParameter[list[int]] = bindparam("search_libraries", expanding=True)


def _phrase(column: str, text: str) -> str:
    """An FTS5 query for ``text`` as a substring of ``column``."""
    return f'{column} : "{text.replace(chr(34), chr(34) * 2)}"'


def _matching_rows(by_publisher: bool) -> Select[Any]:
    facets = publisher_series_facets
    # A subquery, so the index is searched once; as a join, SQLite would search it again
    # for every row of the library. Rows are then found by id: "+ 0" keeps SQLite off the
    # library's index, which would read every row of the library (and its long text).
    found = select(_SEARCH.c.rowid).where(_MATCH.op("MATCH")(bindparam("match")))
    where: list[ColumnElement[bool]] = [
        facets.c.search_id.in_(found),
        (facets.c.library_id + 0).in_(_LIBRARIES),
    ]
    if by_publisher:
        where.append(facets.c.publisher_key == bindparam("publisher"))
    return select(facets.c.series_key).where(*where)


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
