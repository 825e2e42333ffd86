"""Wire structs: only where the JSON shape differs from a domain type."""

from __future__ import annotations

from typing import Final

import msgspec

__all__ = ["API_PREFIX", "ErrorBody", "PingResponse", "ProgressWrite", "ReadMark"]

# Where the API lives (contract §1); the conformance kit asks there too.
API_PREFIX: Final = "/api/v1"


class ErrorBody(msgspec.Struct, frozen=True):
    """Every error response (contract §1): a stable machine code and a human sentence."""

    error: str
    message: str


class PingResponse(msgspec.Struct, frozen=True):
    """``GET /auth/ping``: the token works; which server and which saved browse mode."""

    ok: bool
    version: str
    browse_mode: str


# Request bodies, for the documentation only: handlers read them by hand (progress_json.py) so
# that each malformed field gets the reference's own error string.


class ProgressWrite(msgspec.Struct, frozen=True):
    """``PUT /progress``: with ``updated_at`` (device time, unix seconds) an older write is 409."""

    path: str
    page_number: int
    total_pages: int | None = None
    time_spent: int | None = None
    updated_at: int | None = None


class ReadMark(msgspec.Struct, frozen=True):
    """``POST /issues/read``."""

    path: str
    page_count: int | None = None
    time_spent: int | None = None
