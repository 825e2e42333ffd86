"""Shelves (favorites, want-to-read), reading progress and read marks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LINKED = "comic_id IS NOT NULL"


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def _comic_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["comic_id"], ["comics.id"], name=f"fk_{table}_comic_id_comics", ondelete=ondelete
    )


def _linked_index(table: str, columns: list[str]) -> None:
    # Partial: rows whose comic left the index (comic_id NULL) are keyed by path alone.
    op.create_index(
        f"ix_{table}_{'_'.join(columns)}",
        table,
        columns,
        unique=True,
        sqlite_where=sa.text(_LINKED),
        postgresql_where=sa.text(_LINKED),
    )


def upgrade() -> None:
    op.create_table(
        "shelf_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shelf", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("comic_id", sa.Integer(), nullable=True),
        # A natural sort key: compared bytewise, "C" collation on PostgreSQL.
        sa.Column(
            "name_sort",
            sa.Text().with_variant(sa.Text(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("shelf_entries"),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name="fk_shelf_entries_library_id_libraries",
            ondelete="CASCADE",
        ),
        _comic_fk("shelf_entries", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_shelf_entries"),
    )
    op.create_index(
        "ix_shelf_entries_user_id_shelf_path",
        "shelf_entries",
        ["user_id", "shelf", "path"],
        unique=True,
    )
    op.create_index(
        "ix_shelf_entries_user_id_shelf_name_sort",
        "shelf_entries",
        ["user_id", "shelf", "name_sort", "id"],
    )
    op.create_index(
        "ix_shelf_entries_user_id_shelf_created_at",
        "shelf_entries",
        ["user_id", "shelf", "created_at", "id"],
    )
    _linked_index("shelf_entries", ["user_id", "shelf", "comic_id"])

    op.create_table(
        "reading_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("comic_id", sa.Integer(), nullable=True),
        sa.Column("comic_path", sa.Text(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("total_pages", sa.Integer(), nullable=True),
        sa.Column("time_spent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_updated_at", sa.BigInteger(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        _user_fk("reading_progress"),
        _comic_fk("reading_progress", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_reading_progress"),
    )
    op.create_index(
        "ix_reading_progress_user_id_comic_path",
        "reading_progress",
        ["user_id", "comic_path"],
        unique=True,
    )
    op.create_index(
        "ix_reading_progress_user_id_updated_at",
        "reading_progress",
        ["user_id", "updated_at", "id"],
    )
    _linked_index("reading_progress", ["user_id", "comic_id"])

    op.create_table(
        "read_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("comic_id", sa.Integer(), nullable=True),
        sa.Column("comic_path", sa.Text(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("time_spent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("read_marks"),
        _comic_fk("read_marks", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_read_marks"),
    )
    op.create_index(
        "ix_read_marks_user_id_comic_path", "read_marks", ["user_id", "comic_path"], unique=True
    )
    _linked_index("read_marks", ["user_id", "comic_id"])


def downgrade() -> None:
    for index in ("ix_read_marks_user_id_comic_id", "ix_read_marks_user_id_comic_path"):
        op.drop_index(index, table_name="read_marks")
    op.drop_table("read_marks")
    for index in (
        "ix_reading_progress_user_id_comic_id",
        "ix_reading_progress_user_id_updated_at",
        "ix_reading_progress_user_id_comic_path",
    ):
        op.drop_index(index, table_name="reading_progress")
    op.drop_table("reading_progress")
    for index in (
        "ix_shelf_entries_user_id_shelf_comic_id",
        "ix_shelf_entries_user_id_shelf_created_at",
        "ix_shelf_entries_user_id_shelf_name_sort",
        "ix_shelf_entries_user_id_shelf_path",
    ):
        op.drop_index(index, table_name="shelf_entries")
    op.drop_table("shelf_entries")
