"""The ``MetaData`` every table registers on, and the column types the table modules share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, ForeignKey, Integer, MetaData, Text, func
from sqlalchemy.types import TypeDecorator

__all__ = [
    "BYTEWISE_TEXT",
    "NAMING_CONVENTION",
    "UtcDateTime",
    "created_at",
    "library_fk",
    "metadata",
    "sort_key",
    "user_fk",
]

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


# Text compared by code point everywhere: BINARY is SQLite's default, "C" must be asked for on
# PostgreSQL, whose default collation would apply the locale's rules (ignoring spaces and
# punctuation under glibc). The variant keeps the collation off SQLite, which has no "C".
BYTEWISE_TEXT = Text().with_variant(Text(collation="C"), "postgresql")


def sort_key(name: str) -> Column[str]:
    """A natural sort key column (``naturalsort.natural_sort_text``), compared bytewise."""
    return Column(name, BYTEWISE_TEXT, nullable=False)


def created_at() -> Column[datetime]:
    return Column(
        "created_at", UtcDateTime(), nullable=False, server_default=func.current_timestamp()
    )


def library_fk(*, primary_key: bool = False) -> Column[int]:
    """The owning library: its rows go with it."""
    on_delete = ForeignKey("libraries.id", ondelete="CASCADE")
    return Column("library_id", Integer, on_delete, nullable=False, primary_key=primary_key)


def user_fk() -> Column[int]:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
