"""Positions and marks kept by path alone, found by path when a comic is indexed there.

A row loses its comic when the comic leaves the index, and a row written for a path the index
does not know never had one. When a comic is indexed at such a path, the index links the rows
left there to it (``adapters/storage/progress/links.py``); these partial indexes hold only those
rows, so the lookup costs nothing for the rows that are linked, nearly all of them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-01-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNLINKED = "comic_id IS NULL"
_TABLES = ("reading_progress", "read_marks")


def upgrade() -> None:
    for table in _TABLES:
        op.create_index(
            f"ix_{table}_unlinked_path",
            table,
            ["comic_path"],
            sqlite_where=sa.text(_UNLINKED),
            postgresql_where=sa.text(_UNLINKED),
        )


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_unlinked_path", table_name=table)
