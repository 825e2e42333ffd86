"""Series lists read from the facet tables (``facet_tables``), one page at a time.

Only libraries that hold series count (``facet_sources``). A request that sees one of them
reads that library's rows; one that sees them all reads the rows kept over every library.
Either way each row is a group, so a page comes straight from the index of its order, and the
total is a count of rows. A request that sees some but not all sums their rows per series:
natural order still streams from an index, the other orders rank every group first (a pass
over the visible rows); only the page's groups are then read in full (``series_summed``).
Lists of one publisher's series use the ``publisher_series`` tables alike.

Search narrows the groups to the keys ``series_search`` finds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    ScalarSelect,
    Select,
    Table,
    bindparam,
    func,
    select,
)

from bagboard.adapters.storage.browse.counted_pages import counted, paginated
from bagboard.adapters.storage.browse.series_search import hits, matching_series, search_for
from bagboard.adapters.storage.browse.series_summed import summed_page
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.facet_tables import (
    all_publisher_series_facets,
    all_series_facets,
    facet_sources,
    publisher_series_facets,
    series_facets,
)
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.domain.browse import Facet, Sort
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["series_page"]

Order = Callable[[Table], tuple[Any, ...]]

# Rows that are groups: each sort is the order of an index (see facet_tables).
_ROW_ORDER: dict[Sort, Order] = {
    Sort.ALPHA: lambda t: (t.c.series_sort, t.c.series_key),
    Sort.COUNT: lambda t: (t.c.count_sort, t.c.series_sort, t.c.series_key),
    Sort.YEAR: lambda t: (t.c.year_sort, t.c.series_sort, t.c.series_key),
    Sort.RECENT: lambda t: (t.c.max_added_at.desc(), t.c.series_sort, t.c.series_key),
}


class _Rows(NamedTuple):
    """Where a request's groups are: a table, and which of its rows (bound by ``values``)."""

    table: Table
    where: list[ColumnElement[bool]]
    values: dict[str, Any]
    summed: bool  # several rows per group, one per visible library


def series_page(
    engine: Engine,
    library_ids: Sequence[int],
    publisher_key: str | None,
    query: str | None,
    sort: Sort,
    page: PageRequest,
) -> Page[Facet]:
    """One page of series. The usual request (no search, rows that are groups) runs on the
    lean path; the others build their statements for the request."""
    with lean(engine) as fast:
        if len(library_ids) == 1:
            visible, every_source = list(library_ids), False
        else:
            sources = {row[0] for row in fast.all(_SOURCES)}
            # Libraries without series add nothing, whether visible or not.
            visible = sorted(sources.intersection(library_ids))
            every_source = len(visible) == len(sources)
        if not visible:
            return Page([], 0, page)
        rows = _rows_for(engine.dialect.name, visible, every_source, publisher_key)
        lean_page: tuple[Prepared, Prepared] | None = None
        values = dict(rows.values)
        if not rows.summed and not query:
            lean_page = _lean_group_page(rows.table, sort, tuple(rows.values))
        elif not rows.summed and query:
            search = search_for(engine.dialect.name, query)
            if search.kind != "comics":
                lean_page = _lean_search_page(
                    rows.table,
                    sort,
                    tuple(rows.values),
                    (engine.dialect.name, search.kind, publisher_key is not None),
                )
                values.update(search.values, search_libraries=visible)
        if lean_page is not None:
            statement, count = lean_page
            found = fast.all(statement, limit=page.limit, offset=page.offset, **values)
            total = found[0][-1] if found else fast.scalar(count, **values)
            return Page([Facet(*row[:-1]) for row in found], total, page)
    with translate_errors(), engine.connect() as conn:
        return _built_page(conn, visible, publisher_key, query, sort, page, rows)


def _built_page(
    conn: Connection,
    visible: list[int],
    publisher_key: str | None,
    query: str | None,
    sort: Sort,
    page: PageRequest,
    rows: _Rows,
) -> Page[Facet]:
    table, where = rows.table, rows.where
    total: ScalarSelect[int] | None = None
    if query:
        # Searched once per request: the page and the total both read the keys found.
        hits = matching_series(conn.dialect.name, visible, publisher_key, query).cte("found")
        where.append(table.c.series_key.in_(select(hits.c.series_key)))
        total = select(func.count(func.distinct(hits.c.series_key))).scalar_subquery()
    if rows.summed:
        return summed_page(
            conn, table, where, rows.values, visible, publisher_key, sort, page, total
        )
    statement = _facets(table).where(*where).order_by(*_ROW_ORDER[sort](table))
    assert total is not None  # searched: unsearched pages of groups took the path above
    found = counted(conn, statement, total, page, rows.values)
    return Page([_facet(row) for row in found.items], found.total, page)


def _facets(table: Table) -> Select[Any]:
    return select(
        table.c.series_key.label("key"),
        table.c.series.label("name"),
        table.c.comics.label("count"),
        table.c.min_year.label("year"),
        table.c.publisher,
    )


@cache
def _lean_group_page(table: Table, sort: Sort, bound: tuple[str, ...]) -> tuple[Prepared, Prepared]:
    """A page of rows that are groups with their total as a last column, and the total
    alone; built once per table, order and bound parameters (``lean``)."""
    where = _bound(table, bound)
    count = select(func.count()).select_from(table).where(*where).correlate(None)
    return _prepared_page(table, sort, where, count.scalar_subquery())


@cache
def _lean_search_page(
    table: Table, sort: Sort, bound: tuple[str, ...], search: tuple[str, str, bool]
) -> tuple[Prepared, Prepared]:
    """Like ``_lean_group_page``, narrowed to the series a search of this kind finds
    (``series_search.hits``: dialect, kind, within a publisher); searched once per request,
    the page and the total both read the keys found."""
    found = hits(*search).cte("found")
    where = [*_bound(table, bound), table.c.series_key.in_(select(found.c.series_key))]
    total = select(func.count(func.distinct(found.c.series_key))).scalar_subquery()
    return _prepared_page(table, sort, where, total)


def _bound(table: Table, bound: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The rows of one library or publisher, by bound parameters (``_BOUND_COLUMNS``)."""
    return [table.c[_BOUND_COLUMNS[name]] == bindparam(name) for name in bound]


def _prepared_page(
    table: Table, sort: Sort, where: Sequence[ColumnElement[bool]], total: ScalarSelect[int]
) -> tuple[Prepared, Prepared]:
    """A page of facet rows in ``sort`` order with ``total`` as a last column, and the total
    alone (for a page past the end)."""
    statement = _facets(table).where(*where).order_by(*_ROW_ORDER[sort](table))
    return Prepared(paginated(statement, total)), Prepared(select(total))


_SOURCES = Prepared(select(facet_sources.c.library_id))


_BOUND_COLUMNS = {"library": "library_id", "publisher": "publisher_key"}


def _facet(row: RowMapping) -> Facet:
    return Facet(row["key"], row["name"], row["count"], row["year"], row["publisher"])


def _rows_for(
    dialect: str, visible: list[int], every_source: bool, publisher_key: str | None
) -> _Rows:
    """``visible``: the visible libraries that hold series (``facet_sources``);
    ``every_source``: they are all such libraries."""
    split = publisher_key is not None
    table = publisher_series_facets if split else series_facets
    if len(visible) == 1:
        rows = _Rows(
            table, [table.c.library_id == bindparam("library")], {"library": visible[0]}, False
        )
    elif every_source:
        rows = _Rows(all_publisher_series_facets if split else all_series_facets, [], {}, False)
    else:
        library: ColumnElement[int] = table.c.library_id
        if dialect == "sqlite":
            # Without statistics SQLite would look the libraries up one by one and sort all
            # their groups; "+ 0" keeps it on the index that yields groups in natural order.
            library = library + 0
        rows = _Rows(table, [library.in_(visible)], {}, summed=True)
    if split:
        rows.where.append(rows.table.c.publisher_key == bindparam("publisher"))
        rows.values["publisher"] = publisher_key
    return rows
