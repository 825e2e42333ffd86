"""Covering indexes for metadata browsing; bytewise grouping keys on PostgreSQL.

Listing publishers or series groups every visible comic; these indexes hold every column those
queries read, so SQLite and PostgreSQL scan the index alone instead of visiting each row (on
100,000 comics, tens of milliseconds instead of hundreds). The publisher index supersedes
0002's (library_id, publisher_key, series_key), which it starts with.

Groups are listed in code-point order of their key. On PostgreSQL the key columns take the "C"
collation (as the sort keys already do), so that order is the index's order; under another
collation every listing would aggregate all groups before sorting them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-01-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_KEYS = ("publisher_key", "series_key")


def _key_collation(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite compares bytes (BINARY) already
    for column in _KEYS:
        op.alter_column("comics", column, type_=sa.Text(collation=collation))


def upgrade() -> None:
    op.drop_index("ix_comics_library_id_publisher_key_series_key", table_name="comics")
    # Before the new indexes are built, so they are built once, in the new order.
    _key_collation("C")
    # Publisher groups with their spellings; series of one publisher with their year and date.
    op.create_index(
        "ix_comics_publisher_browse",
        "comics",
        ["library_id", "publisher_key", "publisher", "series_key", "year_int", "added_at"],
    )
    # Series groups with their year and date, and the two other searched fields.
    op.create_index(
        "ix_comics_series_browse",
        "comics",
        ["library_id", "series_key", "year_int", "added_at", "title", "name"],
    )


def downgrade() -> None:
    op.drop_index("ix_comics_series_browse", table_name="comics")
    op.drop_index("ix_comics_publisher_browse", table_name="comics")
    _key_collation(None)
    op.create_index(
        "ix_comics_library_id_publisher_key_series_key",
        "comics",
        ["library_id", "publisher_key", "series_key"],
    )
