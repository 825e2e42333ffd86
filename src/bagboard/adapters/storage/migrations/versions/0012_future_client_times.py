"""Positions stored with a device time far in the future (a device whose clock was wrong) take
the time of this migration instead, so that correct writes from other devices are no longer
refused as older (contract §6: a device clock more than five minutes ahead of the server's is
taken as the server's time).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same margin as domain.progress.MAX_CLOCK_AHEAD, written out: a migration is a fixed
# record and must not change when the rule's constant does.
_AHEAD = 300


def upgrade() -> None:
    now = int(time.time())
    op.execute(
        sa.text(
            "UPDATE reading_progress SET client_updated_at = :now WHERE client_updated_at > :limit"
        ).bindparams(now=now, limit=now + _AHEAD)
    )


def downgrade() -> None:
    # The wrong times are not worth restoring: nothing to undo.
    pass
