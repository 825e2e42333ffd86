"""Wire structs: only where the JSON shape differs from a domain type."""

from __future__ import annotations

import msgspec


class ErrorBody(msgspec.Struct, frozen=True):
    """Every error response (contract §1): a stable machine code and a human sentence."""

    error: str
    message: str


class PingResponse(msgspec.Struct, frozen=True):
    """``GET /auth/ping``: the token works; which server and which saved browse mode."""

    ok: bool
    version: str
    browse_mode: str
