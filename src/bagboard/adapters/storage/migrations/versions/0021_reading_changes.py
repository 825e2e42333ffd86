"""Reading changes in the change feed: every write of a position or a read mark moves the
``reading`` kind (``ports/change_feed.py``), so a process checks what it keeps of readers (the
readings of a list, a page of the sync feed) against a number in memory rather than a read.

SQLite raises a counter row, as 0020's kinds do: its writes are one at a time anyway, and a
reader's feed sees the commit on its next call (``PRAGMA data_version``). PostgreSQL only
notifies (``NOTIFY bagboard_changes``, payload ``reading``) and keeps no counter: a counter
row raised by every reader's write would be locked from that write to its commit, making
every user's writes (and a scan's batch, which links positions to the comics it adds) wait
for one another's. The feed counts ``reading`` as changed whenever it cannot hear
notifications (``changes/postgresql.py``).

Updates that only re-key a row (``comic_id``, ``comic_path``: a scan linking positions to the
comics it adds, a library removed) do not count: they come with an index write, which moves
the ``index`` kind that everything keyed by comic is also checked against.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "bagboard_changes"
KIND = "reading"

# table -> the columns whose update counts (all but the key and the comic's link).
_WATCHED: dict[str, tuple[str, ...]] = {
    "reading_progress": (
        "user_id",
        "page_number",
        "total_pages",
        "time_spent",
        "updated_at",
        "client_updated_at",
        "deleted",
        "device_id",
        "device_name",
        "server_stamped",
    ),
    "read_marks": ("user_id", "page_count", "time_spent", "read_at", "updated_at", "deleted"),
}
_EVENTS = ("insert", "update", "delete")

_RAISE = (
    f"INSERT INTO change_counters (kind, value) VALUES ('{KIND}', 1) "
    "ON CONFLICT (kind) DO UPDATE SET value = change_counters.value + 1"
)

_PG_FUNCTION = f"""
CREATE FUNCTION bagboard_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', TG_ARGV[0]);
    RETURN NULL;
END
$$
"""


def _trigger(table: str, event: str) -> str:
    return f"count_change_{table}_{event}"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(_PG_FUNCTION)
    else:
        op.execute(f"INSERT INTO change_counters (kind, value) VALUES ('{KIND}', 0)")
    for name, columns in _WATCHED.items():
        for event in _EVENTS:
            when = f"UPDATE OF {', '.join(columns)}" if event == "update" else event.upper()
            if postgresql:
                op.execute(
                    f"CREATE TRIGGER {_trigger(name, event)} AFTER {when} ON {name} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION bagboard_notify_change('{KIND}')"
                )
            else:
                op.execute(
                    f"CREATE TRIGGER {_trigger(name, event)} AFTER {when} ON {name} "
                    f"FOR EACH ROW BEGIN {_RAISE}; END"
                )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in _WATCHED:
        for event in _EVENTS:
            on = f" ON {name}" if postgresql else ""
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(name, event)}{on}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS bagboard_notify_change()")
    else:
        op.execute(f"DELETE FROM change_counters WHERE kind = '{KIND}'")
