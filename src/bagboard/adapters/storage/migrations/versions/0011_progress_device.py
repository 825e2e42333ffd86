"""The device that last wrote a reading position: OPDS clients name themselves, and a reader's
other devices show where (and on what) they left off. Rows written before, or through /api/v1,
name none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-01-11
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("device_id", "device_name")


def upgrade() -> None:
    # Nullable columns without a default: both databases add them without rewriting the table.
    with op.batch_alter_table("reading_progress") as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table (batch mode); PostgreSQL drops it in place.
    with op.batch_alter_table("reading_progress") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
