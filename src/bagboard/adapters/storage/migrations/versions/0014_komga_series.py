"""Persistent ids of metadata series per library, for the Komga-compatible API: Komga
clients keep a series' id, so it must survive rescans. Empty at first; ids are assigned as
series are listed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "komga_series",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "library_id",
            sa.Integer(),
            sa.ForeignKey("libraries.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("series_key", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_komga_series_key", "komga_series", ["library_id", "series_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_komga_series_key", table_name="komga_series")
    op.drop_table("komga_series")
