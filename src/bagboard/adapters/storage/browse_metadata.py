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
    Integer,
    RowMapping,
    Select,
    UnaryExpression,
    case,
    cast,
    func,
    or_,
    select,
)

from bagboard.adapters.storage.browse_folders import COMIC, comic_row, empty, paged
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
        # One scan of the publisher index counts every spelling; the page of groups is cut
        # from those counts and joined back to its own spellings, all in one statement, which
        # costs half of a group query followed by a spelling query over the page's keys.
        spellings = (
            select(
                _publisher_key.label("key"),
                comics.c.publisher.label("spelling"),
                func.count().label("n"),
            )
            .where(comics.c.library_id.in_(library_ids), _publisher_key != "")
            .group_by(_publisher_key, comics.c.publisher)
            .cte("spellings")
        )
        count = cast(func.sum(spellings.c.n), Integer)
        order = (count.desc(), spellings.c.key) if sort is Sort.COUNT else (spellings.c.key,)
        position = func.row_number().over(order_by=order).label("position")
        groups = (
            select(
                spellings.c.key,
                count.label("count"),
                func.count().over().label("total"),
                position,
            )
            .group_by(spellings.c.key)
            .order_by(position)
            .limit(page.limit)
            .offset(page.offset)
            .subquery("groups")
        )
        statement = (
            select(
                groups.c.key, groups.c.count, groups.c.total, spellings.c.spelling, spellings.c.n
            )
            .join_from(groups, spellings, spellings.c.key == groups.c.key)
            .order_by(groups.c.position)
        )
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(statement).mappings().all()
            if rows:
                total = rows[0]["total"]
            elif page.offset == 0:
                total = 0
            else:  # past the end: only a count can tell how far
                distinct = select(func.count(func.distinct(spellings.c.key)))
                total = conn.execute(distinct).scalar_one()
        facets: dict[str, tuple[int, Counter[str]]] = {}
        for row in rows:
            facets.setdefault(row["key"], (row["count"], Counter()))[1][row["spelling"]] += row["n"]
        items = [Facet(key, _most_common(names), n) for key, (n, names) in facets.items()]
        return Page(items, total, page)

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
            .order_by(*_series_order(sort, count, year))
        )
        if query:
            # A group is listed when any of its comics matches; its count stays the whole group.
            hit = case((_matches(query, self._dialect), 1), else_=0)
            statement = statement.having(func.max(hit) == 1)
        with translate_errors(), self._engine.connect() as conn:
            if sort is Sort.ALPHA and not query:
                # Groups stream out of the index in key order and the scan stops at the page;
                # the total is one more pass over the same index.
                groups = paged(conn, statement, page, _facet_row, self._count_series(where))
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

    def _count_series(self, where: Sequence[ColumnElement[bool]]) -> Select[Any]:
        if self._dialect == "postgresql":
            # PostgreSQL sorts for count(DISTINCT); hashing the groups is three times faster.
            groups = select(_series_key).where(*where).group_by(_series_key).subquery()
            return select(func.count()).select_from(groups)
        # SQLite counts distinct values of an ordered index in one pass, faster than grouping.
        return select(func.count(func.distinct(_series_key))).where(*where)


def _series_order(
    sort: Sort, count: ColumnElement[int], year: ColumnElement[int]
) -> tuple[ColumnElement[Any] | UnaryExpression[Any], ...]:
    # The key is unique among groups: the final tie-break. Key columns compare bytewise on
    # every database (see tables.py), the order the memory adapter gives too.
    if sort is Sort.COUNT:
        return (count.desc(), _series_key)
    if sort is Sort.YEAR:
        return (year.asc().nulls_last(), _series_key)
    if sort is Sort.RECENT:
        return (func.max(comics.c.added_at).desc(), _series_key)
    return (_series_key,)
