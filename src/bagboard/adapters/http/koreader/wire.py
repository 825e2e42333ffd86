"""Reading a KOReader write (``PUT /syncs/progress``) as the reference server does, a little
more leniently: ``progress`` may be a number (KOReader before 2022 sent one), ``device_id``
may be missing, unknown keys (``metadata``) are ignored."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeGuard

import msgspec

from bagboard.adapters.http.koreader.errors import (
    BAD_DOCUMENT,
    INVALID_REQUEST,
    NOT_AN_OBJECT,
    NOT_JSON,
)
from bagboard.domain.kosync import MAX_PROGRESS_LENGTH, is_valid_document
from bagboard.domain.text import is_storable

__all__ = ["KosyncUpdate", "checked_document", "parse_update"]

MAX_WHOLE = 2**53


@dataclass(frozen=True, slots=True)
class KosyncUpdate:
    document: str
    progress: str | int | float
    percentage: float
    device: str
    device_id: str | None


def checked_document(document: object) -> str:
    """``document`` when the reference would take it (403/2004 otherwise)."""
    if not isinstance(document, str) or not is_valid_document(document):
        raise BAD_DOCUMENT
    return document


def parse_update(body: bytes) -> KosyncUpdate:
    data = _object(body)
    document = checked_document(data.get("document"))
    progress = data.get("progress")
    percentage = data.get("percentage")
    device = data.get("device")
    device_id = data.get("device_id")
    if not _is_progress(progress) or not _is_number(percentage):
        raise INVALID_REQUEST
    if not _is_text(device) or not (device_id is None or _is_text(device_id)):
        raise INVALID_REQUEST
    return KosyncUpdate(document, progress, float(percentage), device, device_id or None)


def _object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}  # nothing sent: the document is missing (403/2004), as on the reference
    try:
        data = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise NOT_JSON from None
    if not isinstance(data, dict):
        raise NOT_AN_OBJECT
    return data


def _is_number(value: object) -> TypeGuard[int | float]:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_WHOLE  # a float holds it exactly
    return isinstance(value, float) and math.isfinite(value)


def _is_progress(value: object) -> TypeGuard[str | int | float]:
    if isinstance(value, str):
        return 0 < len(value) <= MAX_PROGRESS_LENGTH and _is_text(value)
    return _is_number(value)


def _is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and is_storable(value)
