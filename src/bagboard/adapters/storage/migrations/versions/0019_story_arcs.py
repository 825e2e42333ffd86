"""Story arcs: ComicInfo's ``StoryArc`` and ``StoryArcNumber`` kept with each comic, one row per
arc key (``story_arcs``, ids never reused) and a comic's place in each of its arcs
(``comic_story_arcs``), for arcs to list and read in order from indexes.

Comics indexed before never had these tags read. Their stored modification time is set to
-1 where they have a ComicInfo, so the next scan of their library sees them as changed and
reads them again: a comic rewritten so keeps its id (and everything tied to it), and its
content id is unchanged, so KOReader's ids gain no alias.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Compared bytewise, as the sort keys: "C" collation on PostgreSQL.
_BYTEWISE = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    # Plain ALTERs rather than batch mode: batch mode would copy and drop ``comics``, and with
    # foreign keys on, dropping it cascades to every referencing row.
    op.execute("ALTER TABLE comics ADD COLUMN story_arc TEXT DEFAULT '' NOT NULL")
    op.execute("ALTER TABLE comics ADD COLUMN story_arc_number TEXT DEFAULT '' NOT NULL")
    op.create_table(
        "story_arcs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("arc_key", _BYTEWISE, nullable=False),
        sa.Column("arc_sort", _BYTEWISE, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_story_arcs_arc_key", "story_arcs", ["arc_key"], unique=True)
    op.create_index("ix_story_arcs_arc_sort", "story_arcs", ["arc_sort", "id"])
    op.create_table(
        "comic_story_arcs",
        sa.Column(
            "comic_id",
            sa.Integer(),
            sa.ForeignKey("comics.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "arc_id",
            sa.Integer(),
            sa.ForeignKey("story_arcs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "library_id",
            sa.Integer(),
            sa.ForeignKey("libraries.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("number_sort", sa.Float(), nullable=True),
        sa.Column("year_int", sa.Integer(), nullable=True),
        sa.Column("issue_sort", _BYTEWISE, nullable=False),
    )
    op.create_index(
        "ix_comic_story_arcs_library_id_arc_id", "comic_story_arcs", ["library_id", "arc_id"]
    )
    op.create_index(
        "ix_comic_story_arcs_reading_order",
        "comic_story_arcs",
        ["arc_id", "number_sort", "year_int", "issue_sort", "comic_id"],
    )
    # Read again by the next scan (see above); comics without a ComicInfo have no arc.
    op.execute("UPDATE comics SET mtime_ns = -1 WHERE has_comicinfo")


def downgrade() -> None:
    op.drop_index("ix_comic_story_arcs_reading_order", table_name="comic_story_arcs")
    op.drop_index("ix_comic_story_arcs_library_id_arc_id", table_name="comic_story_arcs")
    op.drop_table("comic_story_arcs")
    op.drop_index("ix_story_arcs_arc_sort", table_name="story_arcs")
    op.drop_index("ix_story_arcs_arc_key", table_name="story_arcs")
    op.drop_table("story_arcs")
    for column in ("story_arc_number", "story_arc"):
        op.execute(f"ALTER TABLE comics DROP COLUMN {column}")
