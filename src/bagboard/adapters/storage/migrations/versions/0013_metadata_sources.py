"""Metadata filled from names: which ComicInfo fields of a comic came from its file name or
folders, and from which (``comics.metadata_sources``, a JSON object).

Comics already indexed get NULL: the next scan of their library fills their blank fields
from their names through the index writer, which keeps the metadata groups in step, without
opening the files again.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_UNNAMED = "metadata_sources IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("comics") as batch:
        batch.add_column(sa.Column("metadata_sources", sa.Text(), nullable=True))
    # What a scan's snapshot reads to find them: empty once every library was scanned again.
    op.create_index(
        "ix_comics_unnamed",
        "comics",
        ["library_id"],
        sqlite_where=sa.text(_UNNAMED),
        postgresql_where=sa.text(_UNNAMED),
    )


def downgrade() -> None:
    op.drop_index("ix_comics_unnamed", table_name="comics")
    with op.batch_alter_table("comics") as batch:
        batch.drop_column("metadata_sources")
