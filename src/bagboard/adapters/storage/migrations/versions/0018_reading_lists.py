"""Reading lists: ordered lists of comics owned by a user (going with it) or shared, found again
on re-import by owner and name key, and their entries, each linked to the comic it matched until
that comic leaves the index.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SHARED = "owner_id IS NULL"
_UNRESOLVED = "comic_id IS NULL"


def upgrade() -> None:
    op.create_table(
        "reading_lists",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("name", sa.Text(), nullable=False),
        # Compared bytewise, as the sort keys: "C" collation on PostgreSQL.
        sa.Column(
            "name_key",
            sa.Text().with_variant(sa.Text(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_reading_lists_owner_id_name_key",
        "reading_lists",
        ["owner_id", "name_key"],
        unique=True,
    )
    # NULL owners never collide in the index above: shared lists get their own.
    op.create_index(
        "ix_reading_lists_shared_name_key",
        "reading_lists",
        ["name_key"],
        unique=True,
        sqlite_where=sa.text(_SHARED),
        postgresql_where=sa.text(_SHARED),
    )
    op.create_table(
        "reading_list_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "list_id",
            sa.Integer(),
            sa.ForeignKey("reading_lists.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("volume", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("database_ids", sa.Text(), nullable=False),
        sa.Column(
            "comic_id",
            sa.Integer(),
            sa.ForeignKey("comics.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_reading_list_entries_list_id_position",
        "reading_list_entries",
        ["list_id", "position"],
        unique=True,
    )
    op.create_index("ix_reading_list_entries_comic_id", "reading_list_entries", ["comic_id"])
    op.create_index(
        "ix_reading_list_entries_unresolved",
        "reading_list_entries",
        ["list_id", "position"],
        sqlite_where=sa.text(_UNRESOLVED),
        postgresql_where=sa.text(_UNRESOLVED),
    )


def downgrade() -> None:
    op.drop_index("ix_reading_list_entries_unresolved", table_name="reading_list_entries")
    op.drop_index("ix_reading_list_entries_comic_id", table_name="reading_list_entries")
    op.drop_index("ix_reading_list_entries_list_id_position", table_name="reading_list_entries")
    op.drop_table("reading_list_entries")
    op.drop_index("ix_reading_lists_shared_name_key", table_name="reading_lists")
    op.drop_index("ix_reading_lists_owner_id_name_key", table_name="reading_lists")
    op.drop_table("reading_lists")
