"""Series pages over some but not all libraries that hold series: each series is then several
rows (one per visible library) summed per request. The page's groups are ranked first; only
they are read in full, and their spellings settled from the comics when libraries disagree.
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
    ScalarSelect,
    Select,
    Table,
    cast,
    func,
    select,
)

from bagboard.adapters.storage.browse.counted_pages import counted
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.browse import Facet, Sort, display_name
from bagboard.domain.pagination import Page, PageRequest

__all__ = ["summed_page"]

Order = Callable[[Table], tuple[Any, ...]]

# Rows summed over some libraries: the same orders over the groups.
_GROUP_ORDER: dict[Sort, Order] = {
    Sort.ALPHA: lambda t: (t.c.series_sort, t.c.series_key),
    Sort.COUNT: lambda t: (func.sum(t.c.comics).desc(), t.c.series_sort, t.c.series_key),
    Sort.YEAR: lambda t: (func.min(t.c.year_sort), t.c.series_sort, t.c.series_key),
    Sort.RECENT: lambda t: (func.max(t.c.max_added_at).desc(), t.c.series_sort, t.c.series_key),
}


def summed_page(
    conn: Connection,
    table: Table,
    rows: Sequence[ColumnElement[bool]],
    values: dict[str, Any],
    library_ids: Sequence[int],
    publisher_key: str | None,
    sort: Sort,
    page: PageRequest,
    total: ScalarSelect[int] | None,
) -> Page[Facet]:
    """A page of series whose groups are several rows of ``table`` (those ``rows`` picks, one
    per visible library; ``values`` binds them): ranked over the groups, then only the page's
    groups summed in full. ``total``: the count when a search already knows it."""
    groups = (
        select(table.c.series_key.label("key"))
        .where(*rows)
        .group_by(table.c.series_sort, table.c.series_key)
    )
    ranked = groups.order_by(*_GROUP_ORDER[sort](table))
    if total is None:
        total = select(func.count()).select_from(groups.subquery()).scalar_subquery()
    keys = counted(conn, ranked, total, page, values)
    wanted = [row["key"] for row in keys.items]
    where: list[ColumnElement[bool]] = [
        table.c.library_id.in_(library_ids),
        table.c.series_key.in_(wanted),
    ]
    if publisher_key is not None:
        where.append(table.c.publisher_key == publisher_key)
    found = {row["key"]: row for row in conn.execute(_grouped(table, where)).mappings()}
    items = _named(conn, library_ids, publisher_key, [found[key] for key in wanted])
    return Page(items, keys.total, page)


def _grouped(table: Table, where: Sequence[ColumnElement[bool]]) -> Select[Any]:
    """Groups summed over several libraries' rows, with the range of their spellings: when
    the smallest and largest agree, every library's most common spelling is the same one,
    which is then the most common of all (and likewise for the publisher)."""
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
        .group_by(table.c.series_key)
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
        spellings: Counter[str] = Counter() if largest is None else by_group[largest]
        settled[key] = (display_name(names[key].items()), display_name(spellings.items()))
    return settled
