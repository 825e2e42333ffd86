"""Read marks in the sync feed: a change time and tombstones.

A device learns another's read marks from ``/progress/since``, so a mark carries the server time
of its last change (ordered with positions by that time, ties by id) and an unmark keeps the row
as a tombstone (``deleted``) that the feed reports. Existing marks changed when they were made.

Revision ID: 0006
Revises: 0005
Create Date: 2026-01-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("read_marks", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE read_marks SET updated_at = read_at")
    with op.batch_alter_table("read_marks") as batch:
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.add_column(
            sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index(
        "ix_read_marks_user_id_updated_at", "read_marks", ["user_id", "updated_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_read_marks_user_id_updated_at", table_name="read_marks")
    op.execute("DELETE FROM read_marks WHERE deleted")
    with op.batch_alter_table("read_marks") as batch:
        batch.drop_column("deleted")
        batch.drop_column("updated_at")
