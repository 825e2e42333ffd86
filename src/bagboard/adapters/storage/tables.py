"""The schema as SQLAlchemy Core tables, kept identical to what the migrations build.

A contract test compares the migrated database with this metadata, so a column added here
without a migration (or the reverse) fails the build.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.types import TypeDecorator

# Explicit constraint names: Alembic's batch mode on SQLite rebuilds tables and can only
# recreate or drop constraints it can name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in, timezone-aware UTC datetimes out, on every database.

    PostgreSQL keeps the offset (timestamptz) but answers in the session time zone; SQLite
    keeps a naive string. Both are normalised to UTC here. Naive values are refused: they
    would be silently reinterpreted.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetimes cannot be stored; attach a time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _created_at() -> Column[datetime]:
    return Column(
        "created_at", UtcDateTime(), nullable=False, server_default=func.current_timestamp()
    )


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    # Names are unique case-insensitively; a casefolded copy gives every database the same
    # rule (collations differ) and an index to look names up by.
    Column("name_key", Text, nullable=False),
    Column("role", String(16), nullable=False),
    # False means "only the libraries listed in user_libraries", possibly none at all.
    Column("all_libraries", Boolean, nullable=False),
    _created_at(),
    Index("ix_users_name_key", "name_key", unique=True),
)

libraries = Table(
    "libraries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("root", Text, nullable=False),
    Column("enabled", Boolean, nullable=False),
    _created_at(),
    Index("ix_libraries_root", "root", unique=True),
)

user_libraries = Table(
    "user_libraries",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "library_id",
        Integer,
        ForeignKey("libraries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", CHAR(64), nullable=False),  # hex SHA-256
    _created_at(),
    Column("last_used_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Index("ix_api_tokens_token_hash", "token_hash", unique=True),
    Index("ix_api_tokens_user_id", "user_id"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
