"""The library index: folders, comics, comic removals and library scans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ComicInfo's text fields but the summary (stored last), spelled out rather than imported so
# this revision never changes after release.
_COMICINFO_TEXT = (
    "title",
    "series",
    "number",
    "count",
    "volume",
    "year",
    "writer",
    "penciller",
    "inker",
    "colorist",
    "letterer",
    "coverartist",
    "publisher",
    "genre",
    "characters",
    "manga",
    "language_iso",
    "tags",
)


def _sort_key(name: str) -> sa.Column[str]:
    # Natural sort keys compare bytewise: "C" collation on PostgreSQL, BINARY (the default)
    # on SQLite.
    return sa.Column(
        name, sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=False
    )


def _info_text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _library_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["library_id"],
        ["libraries.id"],
        name=f"fk_{table}_library_id_libraries",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "folders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _sort_key("name_sort"),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("comic_count", sa.Integer(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        _library_fk("folders"),
        sa.ForeignKeyConstraint(["parent_id"], ["folders.id"], name="fk_folders_parent_id_folders"),
        sa.PrimaryKeyConstraint("id", name="pk_folders"),
    )
    op.create_index("ix_folders_path", "folders", ["path"], unique=True)
    op.create_index(
        "ix_folders_library_id_depth_name_sort", "folders", ["library_id", "depth", "name_sort"]
    )
    op.create_index("ix_folders_parent_id_name_sort", "folders", ["parent_id", "name_sort"])

    op.create_table(
        "comics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("folder_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _sort_key("name_sort"),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("has_comicinfo", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("publisher_key", sa.Text(), nullable=False, server_default=""),
        sa.Column("series_key", sa.Text(), nullable=False, server_default=""),
        _sort_key("number_sort"),
        sa.Column("year_int", sa.Integer(), nullable=True),
        *(_info_text(name) for name in _COMICINFO_TEXT),
        sa.Column("info_page_count", sa.Integer(), nullable=True),
        sa.Column("front_cover", sa.Integer(), nullable=True),
        # Long values last, so SQLite's overflow pages hold only them.
        _info_text("summary"),
        sa.Column("pages_json", sa.Text(), nullable=False, server_default="[]"),
        _library_fk("comics"),
        sa.ForeignKeyConstraint(["folder_id"], ["folders.id"], name="fk_comics_folder_id_folders"),
        sa.PrimaryKeyConstraint("id", name="pk_comics"),
        # Removed comics' ids are never handed out again.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_comics_path", "comics", ["path"], unique=True)
    op.create_index("ix_comics_folder_id_name_sort", "comics", ["folder_id", "name_sort"])
    op.create_index(
        "ix_comics_library_id_publisher_key_series_key",
        "comics",
        ["library_id", "publisher_key", "series_key"],
    )
    op.create_index("ix_comics_series_key_number_sort", "comics", ["series_key", "number_sort"])
    op.create_index("ix_comics_library_id_added_at", "comics", ["library_id", "added_at"])
    op.create_index("ix_comics_fingerprint", "comics", ["fingerprint"])

    op.create_table(
        "comic_removals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comic_id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comic_removals"),
    )
    op.create_index("ix_comic_removals_removed_at", "comic_removals", ["removed_at"])

    op.create_table(
        "library_scans",
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("last_scan_at", sa.DateTime(timezone=True), nullable=False),
        _library_fk("library_scans"),
        sa.PrimaryKeyConstraint("library_id", name="pk_library_scans"),
    )


def downgrade() -> None:
    op.drop_table("library_scans")
    op.drop_index("ix_comic_removals_removed_at", table_name="comic_removals")
    op.drop_table("comic_removals")
    for index in (
        "ix_comics_fingerprint",
        "ix_comics_library_id_added_at",
        "ix_comics_series_key_number_sort",
        "ix_comics_library_id_publisher_key_series_key",
        "ix_comics_folder_id_name_sort",
        "ix_comics_path",
    ):
        op.drop_index(index, table_name="comics")
    op.drop_table("comics")
    for index in (
        "ix_folders_parent_id_name_sort",
        "ix_folders_library_id_depth_name_sort",
        "ix_folders_path",
    ):
        op.drop_index(index, table_name="folders")
    op.drop_table("folders")
