"""What text a store can keep."""

from __future__ import annotations

__all__ = ["is_storable"]


def is_storable(value: str) -> bool:
    """Whether both databases store ``value`` as text: PostgreSQL refuses a NUL, and a lone
    surrogate (from undecodable bytes) is not UTF-8 at all."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
