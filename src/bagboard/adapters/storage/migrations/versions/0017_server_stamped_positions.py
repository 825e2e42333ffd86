"""Whether a position's client time is the server's: writes that carry no client clock (Komga,
KOReader sync, read marks, OPDS page tracking) are stamped with the server's time, and a
device's clock a little behind it may then still apply (domain/progress.py). Rows written
before carry no such knowledge and keep comparing exactly, as they did.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default: both databases add the column without rewriting the table.
    op.add_column(
        "reading_progress",
        sa.Column("server_stamped", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # SQLite drops a column by copying the table (batch mode); PostgreSQL drops it in place.
    with op.batch_alter_table("reading_progress") as batch:
        batch.drop_column("server_stamped")
