"""KOReader sync: each comic's document ids (the partial MD5 of its content, the MD5 of its
name, superseded content ids kept as aliases, and KOReader's page order where it differs from
ours), a key hash per user for KOReader's own sign-in, and what KOReader sent for documents no
comic matches yet.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNDIGESTED = "kosync_md5 IS NULL"


def upgrade() -> None:
    # Plain ALTERs rather than batch mode: batch mode would copy and drop ``users`` and
    # ``comics``, and with foreign keys on, dropping them cascades to every referencing row.
    op.execute("ALTER TABLE users ADD COLUMN kosync_key_hash TEXT")
    op.execute("ALTER TABLE comics ADD COLUMN kosync_md5 CHAR(32)")
    op.execute("ALTER TABLE comics ADD COLUMN name_md5 CHAR(32)")
    op.execute("ALTER TABLE comics ADD COLUMN kosync_pages TEXT")
    op.create_index("ix_comics_kosync_md5", "comics", ["kosync_md5"])
    op.create_index("ix_comics_name_md5", "comics", ["name_md5"])
    # What a scan's snapshot reads to find the comics whose ids it must still read: every
    # comic now, none once each library was scanned again.
    op.create_index(
        "ix_comics_undigested",
        "comics",
        ["library_id"],
        sqlite_where=sa.text(_UNDIGESTED),
        postgresql_where=sa.text(_UNDIGESTED),
    )
    op.create_table(
        "comic_document_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "comic_id",
            sa.Integer(),
            sa.ForeignKey("comics.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("digest", sa.CHAR(32), nullable=False),
    )
    op.create_index(
        "ix_comic_document_aliases_comic_id_digest",
        "comic_document_aliases",
        ["comic_id", "digest"],
        unique=True,
    )
    op.create_index("ix_comic_document_aliases_digest", "comic_document_aliases", ["digest"])
    op.create_table(
        "kosync_orphans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("percentage", sa.Float(), nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_kosync_orphans_user_id_document",
        "kosync_orphans",
        ["user_id", "document"],
        unique=True,
    )
    op.create_index("ix_kosync_orphans_document", "kosync_orphans", ["document"])


def downgrade() -> None:
    op.drop_index("ix_kosync_orphans_document", table_name="kosync_orphans")
    op.drop_index("ix_kosync_orphans_user_id_document", table_name="kosync_orphans")
    op.drop_table("kosync_orphans")
    op.drop_index("ix_comic_document_aliases_digest", table_name="comic_document_aliases")
    op.drop_index("ix_comic_document_aliases_comic_id_digest", table_name="comic_document_aliases")
    op.drop_table("comic_document_aliases")
    op.drop_index("ix_comics_undigested", table_name="comics")
    op.drop_index("ix_comics_name_md5", table_name="comics")
    op.drop_index("ix_comics_kosync_md5", table_name="comics")
    for column in ("kosync_pages", "name_md5", "kosync_md5"):
        op.execute(f"ALTER TABLE comics DROP COLUMN {column}")
    op.execute("ALTER TABLE users DROP COLUMN kosync_key_hash")
