"""Series search on an index of substrings instead of a pass over every row's text.

Adds ``publisher_series_facets.search_id`` (a stable id of the row; see ``facet_tables``) and,
on SQLite, a contentless FTS5 table with the trigram tokenizer whose rowid is that id, kept in
step with the facet rows by triggers; on PostgreSQL, pg_trgm GIN indexes on ``series_key`` and
``search_text``, which serve ``LIKE '%...%'`` as they stand. Where pg_trgm cannot be installed
(a role without the right), the indexes are left out and search reads every row, as before.

The id is spelled out here rather than imported, so this revision does the same thing whatever
later versions of the index writer do.

Revision ID: 0009
Revises: 0008
Create Date: 2026-01-09
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "publisher_series_facets"
_SEARCH = "series_search"
_SEPARATOR = "\x1f"
_TRIGGERS = {
    f"{_SEARCH}_insert": f"""
        AFTER INSERT ON {_TABLE} BEGIN
            INSERT INTO {_SEARCH} (rowid, series_key, search_text)
            VALUES (new.search_id, new.series_key, new.search_text);
        END""",
    f"{_SEARCH}_delete": f"""
        AFTER DELETE ON {_TABLE} BEGIN
            INSERT INTO {_SEARCH} ({_SEARCH}, rowid, series_key, search_text)
            VALUES ('delete', old.search_id, old.series_key, old.search_text);
        END""",
    f"{_SEARCH}_update": f"""
        AFTER UPDATE OF search_id, series_key, search_text ON {_TABLE} BEGIN
            INSERT INTO {_SEARCH} ({_SEARCH}, rowid, series_key, search_text)
            VALUES ('delete', old.search_id, old.series_key, old.search_text);
            INSERT INTO {_SEARCH} (rowid, series_key, search_text)
            VALUES (new.search_id, new.series_key, new.search_text);
        END""",
}
_PG_INDEXES = {
    f"{_SEARCH}_series_key_trgm": "series_key",
    f"{_SEARCH}_search_text_trgm": "search_text",
}

log = logging.getLogger(__name__)


def _search_id(library_id: int, publisher_key: str, series_key: str) -> int:
    key = f"{library_id}{_SEPARATOR}{publisher_key}{_SEPARATOR}{series_key}"
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column(
        _TABLE, sa.Column("search_id", sa.BigInteger(), nullable=False, server_default="0")
    )
    facets = sa.table(
        _TABLE,
        sa.column("library_id"),
        sa.column("publisher_key"),
        sa.column("series_key"),
        sa.column("search_id"),
    )
    keys = conn.execute(sa.select(facets.c.library_id, facets.c.publisher_key, facets.c.series_key))
    ids = [
        {"l": library, "p": publisher, "s": series, "id": _search_id(library, publisher, series)}
        for library, publisher, series in keys
    ]
    if ids:
        conn.execute(
            sa.update(facets)
            .where(
                facets.c.library_id == sa.bindparam("l"),
                facets.c.publisher_key == sa.bindparam("p"),
                facets.c.series_key == sa.bindparam("s"),
            )
            .values(search_id=sa.bindparam("id")),
            ids,
        )
    op.create_index(
        f"ix_{_TABLE}_search_id",
        _TABLE,
        ["search_id", "library_id", "publisher_key", "series_key"],
        unique=True,
    )
    if conn.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {_SEARCH} USING fts5"
            "(series_key, search_text, content='', tokenize='trigram')"
        )
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute(
            f"INSERT INTO {_SEARCH} (rowid, series_key, search_text) "
            f"SELECT search_id, series_key, search_text FROM {_TABLE}"
        )
    elif conn.dialect.name == "postgresql" and _has_trigrams(conn):
        for name, column in _PG_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {_TABLE} USING gin ({column} gin_trgm_ops)")


def _has_trigrams(conn: sa.Connection) -> bool:
    """Install pg_trgm when it is missing and this role may; say whether it is there."""
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning("pg_trgm is not available, series search reads every row: %s", error.orig)
        return False
    return True


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {_SEARCH}")
    elif conn.dialect.name == "postgresql":
        for name in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index(f"ix_{_TABLE}_search_id", table_name=_TABLE)
    with op.batch_alter_table(_TABLE) as batch:
        batch.drop_column("search_id")
