"""Measured page lists (``page_lists``): dimensions read once per version of a comic file.

Revision ID: 0007
Revises: 0006
Create Date: 2026-01-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "page_lists",
        sa.Column(
            "comic_id",
            sa.Integer(),
            sa.ForeignKey("comics.id", ondelete="CASCADE", name="fk_page_lists_comic_id_comics"),
            nullable=False,
        ),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("pages_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("comic_id", name="pk_page_lists"),
    )


def downgrade() -> None:
    op.drop_table("page_lists")
