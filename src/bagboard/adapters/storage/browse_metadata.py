"""Metadata-mode browsing: comics grouped by their stored ``publisher_key`` and ``series_key``.

The keys are ``browse.grouping_key`` of the ComicInfo fields, written by the index, so grouping
is a plain ``GROUP BY`` over a covering index (migration 0004). A page of groups is one query;
the display names of just that page's groups come from one more (``GROUP BY key, spelling``).

Search: the series is matched on ``series_key`` (Unicode-casefolded on write, so any letter
matches in any case); title and file name case-insensitively against the lowercased query:
``ILIKE`` on PostgreSQL, plain ``LIKE`` on SQLite, which already ignores case but only for
ASCII letters. So on SQLite an upper-case non-ASCII letter in a title or file name ("É") is
found only by a query spelling it the same way; the series name has no such gap. ``%``, ``_``
and ``\\`` in the query are escaped, so they match literally.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    Select,
    UnaryExpression,
    case,
    func,
    or_,
    select,
)

from bagboard.adapters.storage.browse_folders import COMIC, bytewise, comic_row, empty, paged
from bagboard.adapters.storage.errors import translate_errors
from bagboard.adapters.storage.tables import comics
from bagboard.domain.browse import ComicRow, Facet, Sort, display_name, grouping_key
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.metadata_browser import MetadataBrowser

_ESCAPE = "\\"
_publisher_key = comics.c.publisher_key
_series_key = comics.c.series_key


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, every wildcard in it taken literally."""
    for char in (_ESCAPE, "%", "_"):
        text = text.replace(char, _ESCAPE + char)
    return f"%{text}%"


def _matches(query: str, dialect: str) -> ColumnElement[bool]:
    by_text = _contains(query.lower())
    # lower() on every row would double the cost of a search on SQLite, whose LIKE already
    # folds exactly the letters its lower() folds (ASCII).
    fields = (comics.c.title, comics.c.name)
    if dialect == "postgresql":
        by_field = [field.ilike(by_text, escape=_ESCAPE) for field in fields]
    else:
        by_field = [field.like(by_text, escape=_ESCAPE) for field in fields]
    return or_(_series_key.like(_contains(grouping_key(query)), escape=_ESCAPE), *by_field)


def _windowed(conn: Connection, statement: Select[Any], page: PageRequest) -> Page[RowMapping]:
    """A page of groups sorted by an aggregate or filtered by HAVING: every group is computed
    before the page is cut anyway, so the total rides along as a window count rather than a
    second pass (which only a page past the end needs)."""
    with_total = statement.add_columns(func.count().over().label("total"))
    rows = conn.execute(with_total.limit(page.limit).offset(page.offset)).mappings().all()
    if rows:
        return Page(rows, rows[0]["total"], page)
    if page.offset == 0:
        return Page(rows, 0, page)
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return Page(rows, conn.execute(counted).scalar_one(), page)


class _Spellings(NamedTuple):
    names: dict[str, Counter[str]]  # series key -> series spelling -> comics
    publishers: dict[str, dict[str, Counter[str]]]  # series key -> publisher key -> spellings


def _series_spellings(
    conn: Connection, where: Sequence[ColumnElement[bool]], keys: list[str]
) -> _Spellings:
    """How the comics of these series (and no others) spell their series and publisher."""
    spellings = _Spellings(defaultdict(Counter), defaultdict(lambda: defaultdict(Counter)))
    if not keys:
        return spellings
    columns = (_series_key, comics.c.series, _publisher_key, comics.c.publisher)
    statement = (
        select(*columns, func.count()).where(*where, _series_key.in_(keys)).group_by(*columns)
    )
    for key, series, publisher_key, publisher, n in conn.execute(statement):
        spellings.names[key][series] += n
        if publisher_key:
            spellings.publishers[key][publisher_key][publisher] += n
    return spellings


def _facet_row(row: RowMapping) -> RowMapping:
    return row


def _most_common(spellings: Counter[str]) -> str:
    return display_name(spellings.items())


def _publisher_name(by_key: dict[str, Counter[str]]) -> str:
    """The series' publisher: the largest publisher group among its comics (ties: the smaller
    key), shown by that group's most common spelling. Comics without a publisher don't vote."""
    if not by_key:
        return ""
    key = min(by_key, key=lambda k: (-sum(by_key[k].values()), k))
    return _most_common(by_key[key])


class SqlMetadataBrowser(MetadataBrowser):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    def publishers(self, library_ids: Sequence[int], sort: Sort, page: PageRequest) -> Page[Facet]:
        if not library_ids:
            return empty(page)
        where = (comics.c.library_id.in_(library_ids), _publisher_key != "")
        count = func.count()
        by_key = bytewise(_publisher_key, self._dialect)
        order = (count.desc(), by_key) if sort is Sort.COUNT else (by_key,)
        statement = (
            select(_publisher_key.label("key"), count.label("count"))
            .where(*where)
            .group_by(_publisher_key)
            .order_by(*order)
        )
        with translate_errors(), self._engine.connect() as conn:
            groups = paged(conn, statement, page, _facet_row)
            keys = [row["key"] for row in groups.items]
            names: dict[str, Counter[str]] = defaultdict(Counter)
            if keys:
                spellings = (
                    select(_publisher_key, comics.c.publisher, func.count())
                    .where(*where, _publisher_key.in_(keys))
                    .group_by(_publisher_key, comics.c.publisher)
                )
                for key, spelling, n in conn.execute(spellings):
                    names[key][spelling] += n
        items = [
            Facet(row["key"], _most_common(names[row["key"]]), row["count"]) for row in groups.items
        ]
        return Page(items, groups.total, page)

    def series(
        self,
        library_ids: Sequence[int],
        publisher_key: str | None,
        query: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[Facet]:
        if not library_ids or publisher_key == "":
            return empty(page)
        where: list[ColumnElement[bool]] = [comics.c.library_id.in_(library_ids), _series_key != ""]
        if publisher_key is not None:
            where.append(_publisher_key == publisher_key)
        count = func.count()
        year = func.min(comics.c.year_int)
        statement = (
            select(_series_key.label("key"), count.label("count"), year.label("year"))
            .where(*where)
            .group_by(_series_key)
            .order_by(*self._series_order(sort, count, year))
        )
        if query:
            # A group is listed when any of its comics matches; its count stays the whole group.
            hit = case((_matches(query, self._dialect), 1), else_=0)
            statement = statement.having(func.max(hit) == 1)
        with translate_errors(), self._engine.connect() as conn:
            if sort is Sort.ALPHA and not query:
                # Groups stream out of the index in key order and the scan stops at the page;
                # the total is one DISTINCT count over the same index.
                distinct = select(func.count(func.distinct(_series_key))).where(*where)
                groups = paged(conn, statement, page, _facet_row, distinct)
            else:
                groups = _windowed(conn, statement, page)
            spellings = _series_spellings(conn, where, [row["key"] for row in groups.items])
        items = [
            Facet(
                key=row["key"],
                name=_most_common(spellings.names[row["key"]]),
                count=row["count"],
                year=row["year"],
                publisher=_publisher_name(spellings.publishers[row["key"]]),
            )
            for row in groups.items
        ]
        return Page(items, groups.total, page)

    def issues(
        self,
        library_ids: Sequence[int],
        series_key: str,
        publisher_key: str | None,
        sort: Sort,
        page: PageRequest,
    ) -> Page[ComicRow]:
        # Comics with an empty key belong to no group, so an empty key finds nothing.
        if not library_ids or not series_key or publisher_key == "":
            return empty(page)
        statement = COMIC.where(comics.c.library_id.in_(library_ids), _series_key == series_key)
        if publisher_key is not None:
            statement = statement.where(_publisher_key == publisher_key)
        natural = (comics.c.number_sort, comics.c.name_sort, comics.c.id)
        order: tuple[Any, ...]
        if sort is Sort.RECENT:
            order = (comics.c.added_at.desc(), comics.c.id.desc())
        elif sort is Sort.YEAR:
            order = (comics.c.year_int.desc().nulls_last(), *natural)
        else:
            order = natural
        with translate_errors(), self._engine.connect() as conn:
            return paged(conn, statement.order_by(*order), page, comic_row)

    def recent(
        self, library_ids: Sequence[int], since: datetime, page: PageRequest
    ) -> Page[ComicRow]:
        if not library_ids:
            return empty(page)
        statement = COMIC.where(
            comics.c.library_id.in_(library_ids), comics.c.added_at >= since
        ).order_by(comics.c.added_at.desc(), comics.c.id.desc())
        with translate_errors(), self._engine.connect() as conn:
            return paged(conn, statement, page, comic_row)

    def _series_order(
        self, sort: Sort, count: ColumnElement[int], year: ColumnElement[int]
    ) -> tuple[ColumnElement[Any] | UnaryExpression[Any], ...]:
        # The key is unique among groups: the final tie-break.
        by_key = bytewise(_series_key, self._dialect)
        if sort is Sort.COUNT:
            return (count.desc(), by_key)
        if sort is Sort.YEAR:
            return (year.asc().nulls_last(), by_key)
        if sort is Sort.RECENT:
            return (func.max(comics.c.added_at).desc(), by_key)
        return (by_key,)
