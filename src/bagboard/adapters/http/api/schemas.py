"""Wire structs: only where the JSON shape differs from a domain type."""

from __future__ import annotations

from typing import Annotated, Final, Literal

import msgspec
from msgspec import Meta

__all__ = [
    "API_PREFIX",
    "ErrorBody",
    "PingResponse",
    "ProgressWrite",
    "ReadMark",
    "ShelfWrite",
]

# Where the API lives (contract §1); the conformance kit asks there too.
API_PREFIX: Final = "/api/v1"


class ErrorBody(msgspec.Struct, frozen=True):
    """Every error response (contract §1): a machine code, or the reference's own sentence where
    it answers with one, and a human sentence (the document spells out both shapes)."""

    error: str
    message: str


class PingResponse(msgspec.Struct, frozen=True):
    """``GET /auth/ping``: the token works; which server and which saved browse mode."""

    ok: bool
    version: str
    browse_mode: str


# Request bodies, for the documentation only: handlers read them by hand (progress_json.py) so
# that each malformed field gets the reference's own error string. The bounds are the ones the
# server refuses beyond (domain/progress.py): stores keep counts in 32 bits.

# A path: never empty, never holding NUL; a comic's is at most 2048 bytes (``MAX_PATH_BYTES``
# of services/progress.py counts UTF-8 bytes; the schema can only count characters).
NonEmpty = Annotated[str, Meta(min_length=1, pattern=r"^[^\x00]*$")]
ComicPath = Annotated[str, Meta(min_length=1, max_length=2048, pattern=r"^[^\x00]*$")]
Count = Annotated[int, Meta(ge=0, le=2**31 - 1)]
# The last second of year 9999 (``MAX_CLIENT_TIME``).
DeviceTime = Annotated[int, Meta(ge=0, le=253_402_300_799)]


class ProgressWrite(msgspec.Struct, frozen=True):
    """``PUT /progress``: with ``updated_at`` (device time, unix seconds) an older write is 409."""

    path: ComicPath
    page_number: Count
    total_pages: Count | None = None
    time_spent: Count | None = None
    updated_at: DeviceTime | None = None


class ReadMark(msgspec.Struct, frozen=True):
    """``POST /issues/read``."""

    path: ComicPath
    page_count: Count | None = None
    time_spent: Count | None = None


class ShelfWrite(msgspec.Struct, frozen=True):
    """``PUT /library/favorites`` and ``POST /library/to-read``: a folder (favorites), or a comic
    or folder (to-read). ``type`` is compared case-insensitively; without it (or empty) a
    folder is looked for first."""

    path: NonEmpty
    type: Literal["file", "folder", ""] | None = None
