"""Byte ranges and their validators, per RFC 9110 §13-14: the rules behind resumable downloads.

Litestar's ``File`` response ignores ``Range``; these pure functions decide what to send and
``files/download.py`` sends it. Positions are inclusive, like ``Content-Range``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from itertools import pairwise
from typing import Final

__all__ = [
    "MAX_RANGES",
    "UNSATISFIABLE",
    "ByteRange",
    "Unsatisfiable",
    "http_date",
    "if_range_allows",
    "not_modified",
    "parse_http_date",
    "parse_range",
    "strong_match",
    "weak_match",
]

# More ranges than this in one request is abuse (RFC 9110 §14.2 lets a server ignore it).
MAX_RANGES: Final = 32

# Positions beyond 19 digits exceed any file (and int() of a huge string is slow): malformed.
_SPEC = re.compile(r"^\s*(\d{0,19})\s*-\s*(\d{0,19})\s*$")


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class Unsatisfiable:
    """The ``Range`` header was valid but no range overlaps the file: answer 416."""


UNSATISFIABLE: Final = Unsatisfiable()


def parse_range(header: str | None, size: int) -> tuple[ByteRange, ...] | Unsatisfiable | None:
    """What a ``Range`` header asks of a file of ``size`` bytes.

    ``None`` means "send the whole file" (no header, a malformed one, another unit, too many
    ranges); a tuple holds the satisfiable ranges, overlapping ones merged; ``UNSATISFIABLE``
    means none of them can be satisfied.
    """
    if header is None:
        return None
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs.strip():
        return None
    parts = specs.split(",")
    if len(parts) > MAX_RANGES:
        return None
    ranges: list[ByteRange] = []
    for part in parts:
        if not part.strip():
            continue  # RFC 9110 allows empty list elements
        match = _SPEC.match(part)
        if match is None:
            return None
        first, last = match.groups()
        if not first and not last:
            return None
        if not first:  # suffix: the last N bytes
            suffix = int(last)
            if suffix > 0 and size > 0:
                ranges.append(ByteRange(max(0, size - suffix), size - 1))
            continue
        start = int(first)
        end = int(last) if last else size - 1
        if last and end < start:
            return None  # an invalid range-spec makes the whole header invalid
        if start < size:
            ranges.append(ByteRange(start, min(end, size - 1)))
    if not ranges:
        return UNSATISFIABLE
    return _coalesce(ranges)


def _coalesce(ranges: list[ByteRange]) -> tuple[ByteRange, ...]:
    """Requested order, unless ranges overlap: then merged and sorted (RFC 9110 §14.2 lets a
    server coalesce them, and refusing to send the same bytes twice stops amplification)."""
    ordered = sorted(ranges, key=lambda r: r.start)
    if all(a.end < b.start for a, b in pairwise(ordered)):
        return tuple(ranges)
    merged: list[ByteRange] = []
    for current in ordered:
        if merged and current.start <= merged[-1].end + 1:
            last = merged.pop()
            current = ByteRange(last.start, max(last.end, current.end))
        merged.append(current)
    return tuple(merged)


def strong_match(header: str, etag: str) -> bool:
    """``If-Range`` compares entity tags strongly: a weak tag never matches."""
    value = header.strip()
    return not value.startswith("W/") and value == etag


def weak_match(header: str | None, etag: str) -> bool:
    """``If-None-Match``: weak comparison over a list, ``*`` matching anything."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for part in header.split(","):
        tag = part.strip()
        if tag == "*" or (tag and tag.removeprefix("W/") == wanted):
            return True
    return False


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_http_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def if_range_allows(if_range: str | None, etag: str, last_modified: datetime) -> bool:
    """True when a ``Range`` may be honoured: no ``If-Range``, or a validator that still holds.

    A date matches only when equal to ``Last-Modified`` to the second (RFC 9110 §13.1.5);
    anything else, including a weak or stale tag, means "send the whole new file".
    """
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return strong_match(value, etag)
    date = parse_http_date(value)
    return date is not None and int(date.timestamp()) == int(last_modified.timestamp())


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, last_modified: datetime
) -> bool:
    """RFC 9110 §13.2.2: ``If-None-Match`` decides when present, else ``If-Modified-Since``."""
    if if_none_match is not None:
        return weak_match(if_none_match, etag)
    since = parse_http_date(if_modified_since)
    return since is not None and int(last_modified.timestamp()) <= int(since.timestamp())
