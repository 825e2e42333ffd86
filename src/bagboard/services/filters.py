"""The parameters of the browse lists: which are given, which are refused, and the errors the
reference answers for missing ones."""

from __future__ import annotations

from bagboard.domain.errors import InvalidInput

__all__ = [
    "MISSING_PUBLISHER",
    "MISSING_PUBLISHER_OR_SERIES",
    "MISSING_SERIES",
    "check_filters",
    "given",
    "missing",
]

MISSING_PUBLISHER = "Missing 'publisher' parameter"
MISSING_PUBLISHER_OR_SERIES = "Missing 'publisher' or 'series' parameter"
MISSING_SERIES = "Missing 'series' parameter"


def given(raw: str | None) -> str | None:
    """A parameter's value, or None when it is missing or blank."""
    return raw if raw is not None and raw.strip() else None


def check_filters(*values: str | None) -> None:
    """Metadata-mode filter values. ComicInfo is XML, which cannot hold a NUL character, so a
    value with one could match nothing; it is refused before a store sees it (PostgreSQL rejects
    NUL in text, and SQLite's LIKE stops reading a pattern at it)."""
    if any(value is not None and "\x00" in value for value in values):
        raise InvalidInput("a filter must not contain a NUL character")


def missing(message: str) -> InvalidInput:
    # The reference answers these with the sentence itself as the error code.
    return InvalidInput(message, code=message)
