"""Series lists read from the facet tables (``facet_tables``), one page at a time.

With one library visible, each facet row is a group: a page is read straight from the index of
its order and the total is a count of the library's rows. With several, rows of the same
series are summed first; natural order still streams from an index, the other orders sort every
group. Names come with the rows; when libraries disagree on a spelling, the page's own comics
settle it (``spellings``).

Search narrows the groups to the keys ``series_search`` finds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    RowMapping,
    Select,
    Table,
    cast,
    func,
    select,
)

from bagboard.adapters.storage.browse_folders import paged
from bagboard.adapters.storage.facet_tables import publisher_series_facets, series_facets
from bagboard.adapters.storage.series_search import matching_series
from bagboard.adapters.storage.tables import comics
from bagboard.domain.browse import Facet, Sort, display_name
from bagboard.domain.pagination import Page, PageRequest

Order = Callable[[Table], tuple[Any, ...]]

# One library: each sort is the order of an index (see facet_tables).
_ROW_ORDER: dict[Sort, Order] = {
    Sort.ALPHA: lambda t: (t.c.series_sort, t.c.series_key),
    Sort.COUNT: lambda t: (t.c.count_sort, t.c.series_sort, t.c.series_key),
    Sort.YEAR: lambda t: (t.c.year_sort, t.c.series_sort, t.c.series_key),
    Sort.RECENT: lambda t: (t.c.max_added_at.desc(), t.c.series_sort, t.c.series_key),
}

# Several libraries: the same orders over the summed groups.
_GROUP_ORDER: dict[Sort, Order] = {
    Sort.ALPHA: lambda t: (t.c.series_sort, t.c.series_key),
    Sort.COUNT: lambda t: (func.sum(t.c.comics).desc(), t.c.series_sort, t.c.series_key),
    Sort.YEAR: lambda t: (func.min(t.c.year_sort), t.c.series_sort, t.c.series_key),
    Sort.RECENT: lambda t: (func.max(t.c.max_added_at).desc(), t.c.series_sort, t.c.series_key),
}


def series_page(
    conn: Connection,
    library_ids: Sequence[int],
    publisher_key: str | None,
    query: str | None,
    sort: Sort,
    page: PageRequest,
) -> Page[Facet]:
    table = series_facets if publisher_key is None else publisher_series_facets
    single = len(library_ids) == 1
    where: list[ColumnElement[bool]] = [
        table.c.library_id == library_ids[0] if single else table.c.library_id.in_(library_ids)
    ]
    if publisher_key is not None:
        where.append(table.c.publisher_key == publisher_key)
    if query:
        found = matching_series(conn.dialect.name, library_ids, publisher_key, query)
        where.append(table.c.series_key.in_(found))
    statement: Select[Any]
    count: Select[Any]
    if single:
        statement = _rows(table, where).order_by(*_ROW_ORDER[sort](table))
        count = select(func.count()).select_from(table).where(*where)
    else:
        statement = _grouped(table, where).order_by(*_GROUP_ORDER[sort](table))
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    if query or not (single or sort is Sort.ALPHA):
        # Every group is computed before the page is cut anyway: count them on the way.
        groups = windowed(conn, statement, page)
    else:
        # The page streams out of an index; the total is a cheap pass of its own.
        groups = paged(conn, statement, page, _row, count)
    if single:
        items = [
            Facet(r["key"], r["name"], r["count"], r["year"], r["publisher"]) for r in groups.items
        ]
    else:
        items = _named(conn, library_ids, publisher_key, groups.items)
    return Page(items, groups.total, page)


def _row(row: RowMapping) -> RowMapping:
    return row


def _rows(table: Table, where: Sequence[ColumnElement[bool]]) -> Select[Any]:
    return select(
        table.c.series_key.label("key"),
        table.c.series.label("name"),
        table.c.comics.label("count"),
        table.c.min_year.label("year"),
        table.c.publisher,
    ).where(*where)


def _grouped(table: Table, where: Sequence[ColumnElement[bool]]) -> Select[Any]:
    """The groups of several libraries' rows, with the range of their spellings: when the
    smallest and largest agree, every library's most common spelling is the same one, which
    is then the most common of all (and likewise for the publisher)."""
    return (
        select(
            table.c.series_key.label("key"),
            cast(func.sum(table.c.comics), Integer).label("count"),
            func.min(table.c.min_year).label("year"),
            func.min(table.c.series).label("name"),
            func.max(table.c.series).label("name_max"),
            func.min(table.c.publisher).label("publisher"),
            func.max(table.c.publisher).label("publisher_max"),
        )
        .where(*where)
        .group_by(table.c.series_sort, table.c.series_key)
    )


def _named(
    conn: Connection,
    library_ids: Sequence[int],
    publisher_key: str | None,
    rows: Sequence[RowMapping],
) -> list[Facet]:
    unsettled = [
        row["key"]
        for row in rows
        if row["name"] != row["name_max"] or row["publisher"] != row["publisher_max"]
    ]
    settled = _spellings(conn, library_ids, publisher_key, unsettled)
    items = []
    for row in rows:
        name, publisher = settled.get(row["key"], (row["name"], row["publisher"]))
        items.append(Facet(row["key"], name, row["count"], row["year"], publisher))
    return items


def windowed(conn: Connection, statement: Select[Any], page: PageRequest) -> Page[RowMapping]:
    """A page of groups when every group is computed before the page is cut anyway: the
    total rides along as a window count rather than a second pass (which only a page past the
    end needs)."""
    with_total = statement.add_columns(func.count().over().label("total"))
    rows = conn.execute(with_total.limit(page.limit).offset(page.offset)).mappings().all()
    if rows:
        return Page(rows, rows[0]["total"], page)
    if page.offset == 0:
        return Page(rows, 0, page)
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return Page(rows, conn.execute(counted).scalar_one(), page)


def _spellings(
    conn: Connection, library_ids: Sequence[int], publisher_key: str | None, keys: list[str]
) -> dict[str, tuple[str, str]]:
    """The name and publisher of these series from their comics' spellings: the most common
    series spelling, and the most common spelling of the largest publisher group (ties: the
    smaller key; comics without a publisher don't count)."""
    if not keys:
        return {}
    where: list[ColumnElement[bool]] = [
        comics.c.library_id.in_(library_ids),
        comics.c.series_key.in_(keys),
    ]
    if publisher_key is not None:
        where.append(comics.c.publisher_key == publisher_key)
    columns = (comics.c.series_key, comics.c.series, comics.c.publisher_key, comics.c.publisher)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    publishers: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    rows = conn.execute(select(*columns, func.count()).where(*where).group_by(*columns))
    for key, series, group, publisher, n in rows:
        names[key][series] += n
        if group:
            publishers[key][group][publisher] += n
    settled = {}
    for key in keys:
        by_group = publishers[key]
        largest = min(by_group, key=lambda k: (-by_group[k].total(), k), default=None)
        spellings = Counter() if largest is None else by_group[largest]
        settled[key] = (display_name(names[key].items()), display_name(spellings.items()))
    return settled
