"""Metadata facets: publisher and series groups precomputed from the comics.

Creates the facet tables (see ``facet_tables``) and fills them from the comics already
indexed, so an existing database lists the same groups right after the upgrade. The fill is
spelled out here rather than imported, so this revision does the same thing whatever later
versions of the index writer do.

Revision ID: 0005
Revises: 0004
Create Date: 2026-01-05
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from bagboard.domain.naturalsort import natural_sort_text

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNKNOWN_YEAR = 10_000
_SEPARATOR = "\x1f"
_CHUNK = 500
# Covered by the indexes that rank groups summed over a few libraries (facet_tables).
_MERGED = ("library_id", "comics", "year_sort", "max_added_at")


def _bytewise(name: str) -> sa.Column[str]:
    # Keys and sort keys compare bytewise: "C" on PostgreSQL, BINARY (the default) on SQLite.
    return sa.Column(
        name, sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=False
    )


def _library(table: str) -> list[Any]:
    return [
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=f"fk_{table}_library_id_libraries",
            ondelete="CASCADE",
        ),
    ]


def _series_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("comics", sa.Integer(), nullable=False),
        sa.Column("min_year", sa.Integer(), nullable=True),
        sa.Column("max_added_at", sa.DateTime(timezone=True), nullable=False),
        _bytewise("series_sort"),
        sa.Column("count_sort", sa.Integer(), nullable=False),
        sa.Column("year_sort", sa.Integer(), nullable=False),
    ]


def _order_indexes(table: str, *scope: str) -> None:
    natural = ["series_sort", "series_key"]
    op.create_index(f"ix_{table}_alpha", table, [*scope, *natural])
    for name, first in (("count", "count_sort"), ("year", "year_sort"), ("recent", "max_added_at")):
        op.create_index(f"ix_{table}_{name}", table, [*scope, first, *natural])


def upgrade() -> None:
    op.create_table(
        "series_facets",
        *_library("series_facets"),
        _bytewise("series_key"),
        *_series_columns(),
        sa.PrimaryKeyConstraint("library_id", "series_key", name="pk_series_facets"),
    )
    _order_indexes("series_facets", "library_id")
    op.create_index(
        "ix_series_facets_merge", "series_facets", ["series_sort", "series_key", *_MERGED]
    )

    table = "publisher_series_facets"
    op.create_table(
        table,
        *_library(table),
        _bytewise("series_key"),
        _bytewise("publisher_key"),
        *_series_columns(),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("library_id", "series_key", "publisher_key", name=f"pk_{table}"),
    )
    _order_indexes(table, "library_id", "publisher_key")
    op.create_index(
        f"ix_{table}_merge", table, ["publisher_key", "series_sort", "series_key", *_MERGED]
    )

    op.create_table(
        "all_series_facets",
        _bytewise("series_key"),
        *_series_columns(),
        sa.PrimaryKeyConstraint("series_key", name="pk_all_series_facets"),
    )
    _order_indexes("all_series_facets")

    table = "all_publisher_series_facets"
    op.create_table(
        table,
        _bytewise("series_key"),
        _bytewise("publisher_key"),
        *_series_columns(),
        sa.PrimaryKeyConstraint("series_key", "publisher_key", name=f"pk_{table}"),
    )
    _order_indexes(table, "publisher_key")

    op.create_table(
        "publisher_facets",
        *_library("publisher_facets"),
        _bytewise("publisher_key"),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("comics", sa.Integer(), nullable=False),
        _bytewise("publisher_sort"),
        sa.PrimaryKeyConstraint(
            "library_id", "publisher_key", "publisher", name="pk_publisher_facets"
        ),
    )
    op.create_table(
        "facet_sources",
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("library_id", name="pk_facet_sources"),
    )
    _fill(op.get_bind())


def downgrade() -> None:
    for table in (
        "facet_sources",
        "publisher_facets",
        "all_publisher_series_facets",
        "all_series_facets",
        "publisher_series_facets",
        "series_facets",
    ):
        op.drop_table(table)


# --- Filling the facets from the comics already indexed ------------------------------------


def _table(name: str, *columns: str) -> sa.TableClause:
    # Typed where the value needs converting: SQLite stores datetimes as text.
    return sa.table(
        name,
        *(
            sa.column(column, sa.DateTime(timezone=True) if column.endswith("added_at") else None)
            for column in columns
        ),
    )


_c = _table(
    "comics",
    *("library_id", "publisher_key", "series_key", "series", "publisher", "title", "name"),
    *("year_int", "added_at"),
).c


_SERIES = (
    "series_key",
    "series",
    "publisher",
    "comics",
    "min_year",
    "max_added_at",
    "series_sort",
    "count_sort",
    "year_sort",
)


def _fill(conn: sa.Connection) -> None:
    publishers = conn.execute(
        sa.select(_c.library_id, _c.publisher_key, _c.publisher, sa.func.count())
        .where(_c.publisher_key != "")
        .group_by(_c.library_id, _c.publisher_key, _c.publisher)
    ).all()
    names = ("library_id", "publisher_key", "publisher", "comics")
    rows = [
        {**dict(zip(names, row, strict=True)), "publisher_sort": natural_sort_text(row[1])}
        for row in publishers
    ]
    if rows:
        conn.execute(sa.insert(_table("publisher_facets", *rows[0])), rows)
    sources = sa.select(_c.library_id).where(_c.series_key != "").distinct()
    conn.execute(
        sa.insert(_table("facet_sources", "library_id")).from_select(["library_id"], sources)
    )
    # The rows over every library are kept only while two libraries or more hold series.
    everywhere = len(conn.execute(sources).all()) >= 2
    found = conn.execute(sa.select(_c.series_key).where(_c.series_key != "").distinct())
    ordered = sorted(found.scalars())
    for start in range(0, len(ordered), _CHUNK):
        _fill_series(conn, ordered[start : start + _CHUNK], everywhere)


# A comic as the fill reads it: (series, publisher, title, name, year, added_at).
_Comic = tuple[Any, ...]


def _fill_series(conn: sa.Connection, keys: list[str], everywhere: bool) -> None:
    rows = conn.execute(
        sa.select(
            _c.library_id,
            _c.series_key,
            _c.publisher_key,
            _c.series,
            _c.publisher,
            _c.title,
            _c.name,
            _c.year_int,
            _c.added_at,
        ).where(_c.series_key.in_(keys))
    ).all()
    # scope (a library id, or None for every library) -> series key -> publisher key -> comics
    scopes: dict[int | None, dict[str, dict[str, list[_Comic]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for library_id, series_key, publisher_key, *comic in rows:
        for scope in (library_id, None) if everywhere else (library_id,):
            scopes[scope][series_key][publisher_key].append(tuple(comic))
    for scope, by_series in scopes.items():
        whole, split = _rows(by_series, searchable=scope is not None)
        if scope is not None:
            for row in (*whole, *split):
                row["library_id"] = scope
        prefix = "all_" if scope is None else ""
        library = () if scope is None else ("library_id",)
        conn.execute(sa.insert(_table(f"{prefix}series_facets", *library, *_SERIES)), whole)
        split_columns = (*library, *_SERIES, "publisher_key")
        if scope is not None:
            split_columns += ("search_text",)
        conn.execute(sa.insert(_table(f"{prefix}publisher_series_facets", *split_columns)), split)


def _rows(
    by_series: dict[str, dict[str, list[_Comic]]], *, searchable: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    whole = []
    split = []
    for series_key, parts in by_series.items():
        for publisher_key, members in parts.items():
            row = _series_row(series_key, members, members)
            row["publisher_key"] = publisher_key
            if searchable:
                texts = {title.lower() for _, _, title, *_ in members if title}
                texts |= {name.lower() for _, _, _, name, *_ in members}
                row["search_text"] = _SEPARATOR.join(sorted(texts))
            split.append(row)
        named = [(key, members) for key, members in parts.items() if key]
        main = min(named, key=lambda item: (-len(item[1]), item[0]))[1] if named else []
        every = [member for members in parts.values() for member in members]
        whole.append(_series_row(series_key, every, main))
    return whole, split


def _most_common(spellings: list[str]) -> str:
    # browse.display_name: the most frequent spelling, ties to the first in code-point order.
    counts = Counter(spelling.strip() for spelling in spellings)
    if not counts:
        return ""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _series_row(
    series_key: str,
    members: list[tuple[Any, ...]],
    publisher_members: list[tuple[Any, ...]],
) -> dict[str, Any]:
    years = [year for *_, year, _ in members if year is not None]
    added: list[datetime] = [added_at for *_, added_at in members]
    year = min(years) if years else None
    return {
        "series_key": series_key,
        "series": _most_common([series for series, *_ in members]),
        "publisher": _most_common([publisher for _, publisher, *_ in publisher_members]),
        "comics": len(members),
        "min_year": year,
        "max_added_at": max(added),
        "series_sort": natural_sort_text(series_key),
        "count_sort": -len(members),
        "year_sort": _UNKNOWN_YEAR if year is None else year,
    }
