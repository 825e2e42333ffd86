"""Change counters: one row per kind of change (``ports/change_feed.py``), raised by triggers on
every write of the tables behind it, whichever process writes, so a running server sees a
token revoked or a setting saved by the ``bagboard`` command on its next request.

Updates count only when they set a column other than the per-request touches
(``api_tokens.last_used_at``, ``web_sessions.last_seen_at``). SQLite raises the counter once
per row; PostgreSQL once per statement, and also tells listeners (``NOTIFY bagboard_changes``,
the payload being the kind) when the transaction commits.

A later migration that rebuilds one of these tables (SQLite batch mode copies and drops it)
must create its triggers again.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "bagboard_changes"
KINDS = ("access", "libraries", "settings", "index")

# table -> (kind, the columns whose update counts; None: any update counts).
_WATCHED: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "users": ("access", None),
    "user_libraries": ("access", None),
    "api_tokens": (
        "access",
        ("id", "user_id", "name", "token_hash", "created_at", "revoked_at"),
    ),
    "web_sessions": (
        "access",
        ("id", "user_id", "secret_hash", "csrf_token", "created_at", "expires_at"),
    ),
    "libraries": ("libraries", None),
    "settings": ("settings", None),
    "index_generation": ("index", None),
}
_EVENTS = ("insert", "update", "delete")

# A missing row (a table emptied by hand) is made again rather than the change lost.
_RAISE = (
    "INSERT INTO change_counters (kind, value) VALUES ('{kind}', 1) "
    "ON CONFLICT (kind) DO UPDATE SET value = change_counters.value + 1"
)

_PG_FUNCTION = f"""
CREATE FUNCTION bagboard_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_counters (kind, value) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (kind) DO UPDATE SET value = change_counters.value + 1;
    PERFORM pg_notify('{CHANNEL}', TG_ARGV[0]);
    RETURN NULL;
END
$$
"""


def _trigger(table: str, event: str) -> str:
    return f"count_change_{table}_{event}"


def _when(event: str, columns: tuple[str, ...] | None) -> str:
    if event == "update" and columns is not None:
        return f"UPDATE OF {', '.join(columns)}"
    return event.upper()


def upgrade() -> None:
    table = op.create_table(
        "change_counters",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_change_counters")),
    )
    op.bulk_insert(table, [{"kind": kind, "value": 0} for kind in KINDS])
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(_PG_FUNCTION)
    for name, (kind, columns) in _WATCHED.items():
        for event in _EVENTS:
            when = _when(event, columns)
            if postgresql:
                op.execute(
                    f"CREATE TRIGGER {_trigger(name, event)} AFTER {when} ON {name} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION bagboard_count_change('{kind}')"
                )
            else:
                op.execute(
                    f"CREATE TRIGGER {_trigger(name, event)} AFTER {when} ON {name} "
                    f"FOR EACH ROW BEGIN {_RAISE.format(kind=kind)}; END"
                )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in _WATCHED:
        for event in _EVENTS:
            on = f" ON {name}" if postgresql else ""
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(name, event)}{on}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS bagboard_count_change()")
    op.drop_table("change_counters")
