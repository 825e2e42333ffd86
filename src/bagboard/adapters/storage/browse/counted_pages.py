"""A page of rows with its total riding along as a last column, so one query answers both;
only a page past the end (no rows to carry the total) asks for the total alone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, ScalarSelect, Select, bindparam, select

from bagboard.domain.pagination import Page, PageRequest

__all__ = ["counted", "paginated", "run_page"]


def counted(
    conn: Connection,
    statement: Select[Any],
    total: ScalarSelect[int],
    page: PageRequest,
    values: dict[str, Any],
) -> Page[RowMapping]:
    """A page of ``statement`` with ``total`` (a count known apart from the page) riding
    along; only a page past the end asks for it alone."""
    return run_page(conn, paginated(statement, total), total, page, values)


def paginated(statement: Select[Any], total: ScalarSelect[int]) -> Select[Any]:
    """``statement`` with its ``total`` as a column, cut at bound ``limit`` and ``offset``."""
    with_total = statement.add_columns(total.label("total"))
    return with_total.limit(bindparam("limit")).offset(bindparam("offset"))


def run_page(
    conn: Connection,
    statement: Select[Any],
    total: ScalarSelect[int],
    page: PageRequest,
    values: dict[str, Any],
) -> Page[RowMapping]:
    """Run a ``paginated`` statement for ``page``."""
    bound = {**values, "limit": page.limit, "offset": page.offset}
    rows = conn.execute(statement, bound).mappings().all()
    if rows:
        return Page(rows, rows[0]["total"], page)
    return Page(rows, conn.execute(select(total), values).scalar_one(), page)
