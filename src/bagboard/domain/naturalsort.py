"""Natural ("human") ordering of names: ``page2`` before ``page10``, case-insensitively.

Keys are built from uniform ``(kind, length, text, raw)`` tuples, so comparing a number run with
a text run never compares an ``int`` with a ``str``; the order is total and stable whatever mix
of letters and digits two names hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = [
    "NaturalKey",
    "NaturalPathKey",
    "Part",
    "natural_key",
    "natural_path_key",
    "natural_sort_text",
    "natural_sorted",
    "natural_sorted_paths",
    "remembered_keys",
]

_K = TypeVar("_K")

# Digits are matched as ASCII only: ``int()`` would accept other Unicode digits, and the
# comparison below works on the digit strings themselves.
_RUNS = re.compile(r"[0-9]+|[^0-9]+")
_SEPARATORS = re.compile(r"[/\\]")

_NUMBER = 0
_TEXT = 1

# natural_sort_text(): wide enough for any 64-bit number, so dates, ISBNs and catalogue numbers
# compare by value. Number runs start with a byte below every printable character: natural_key()
# puts a number before any text at the same position ("2000 AD" before "'Mazing Man"), and a
# plain digit would sort after spaces and most punctuation. Runs too long for the fixed width get
# a higher marker, then their length, so they still follow every shorter number in magnitude order.
_TEXT_NUMBER_WIDTH = 20
_TEXT_NUMBER = "\x01"
_TEXT_LONG_NUMBER = "\x02"

# One run of a name: numbers compare by magnitude (significant-digit count, then the digits),
# then by their raw spelling so "01" and "1" still have a fixed order; text compares casefolded.
Part = tuple[int, int, str, str]
NaturalKey = tuple[tuple[Part, ...], str]
NaturalPathKey = tuple[tuple[tuple[Part, ...], ...], str]


def _part(run: str) -> Part:
    if "0" <= run[0] <= "9":
        # Comparing digit strings by length first avoids int(): a 5,000-digit run would make
        # int() raise ValueError (CPython's int max-digits guard) or cost quadratic time.
        significant = run.lstrip("0") or "0"
        return (_NUMBER, len(significant), significant, run)
    return (_TEXT, 0, run.casefold(), "")


def _parts(text: str) -> tuple[Part, ...]:
    return tuple(_part(run) for run in _RUNS.findall(text))


def natural_key(text: str) -> NaturalKey:
    """Sort key for one name; the raw text breaks ties so distinct names never compare equal."""
    return (_parts(text), text)


def natural_path_key(path: str) -> NaturalPathKey:
    """Sort key for a slash- or backslash-separated path, comparing segment by segment.

    Comparing per segment keeps a folder's contents together: ``ch 1/p1`` sorts before
    ``ch 1 extra/p1``, which a flat comparison would invert (a space sorts before ``/``).
    """
    if "/" not in path and "\\" not in path:  # one segment: no pattern to run
        return ((_parts(path),), path)
    segments = tuple(_parts(segment) for segment in _SEPARATORS.split(path))
    return (segments, path)


def natural_sort_text(text: str) -> str:
    """A string that orders like ``natural_key`` under plain code-point (bytewise) comparison.

    Text is casefolded and every ASCII digit run becomes a marker and the zero-padded number,
    so a database comparing bytes (SQLite's BINARY, PostgreSQL's ``COLLATE "C"``) gives natural
    order from a stored column. Equal texts ("01" and "1", "A" and "a") are left for the caller
    to break, by the raw name.
    """
    parts: list[str] = []
    for run in _RUNS.findall(text):
        if "0" <= run[0] <= "9":
            digits = run.lstrip("0") or "0"
            if len(digits) <= _TEXT_NUMBER_WIDTH:
                parts.append(_TEXT_NUMBER + digits.rjust(_TEXT_NUMBER_WIDTH, "0"))
            else:
                parts.append(f"{_TEXT_LONG_NUMBER}{len(digits):08d}{digits}")
        else:
            parts.append(run.casefold())
    return "".join(parts)


def natural_sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=natural_key)


def natural_sorted_paths(paths: Iterable[str]) -> list[str]:
    return sorted(paths, key=natural_path_key)


def remembered_keys(
    names: Iterable[str],
    known: dict[str, _K | None],
    key_of: Callable[[str], _K | None],
    bound: int,
) -> dict[str, _K]:
    """Each of ``names`` that has a sort key (``key_of``, None for none) with its key. The
    comics of a library mostly name their members alike, so each name's key is worked out once
    and kept in ``known``, up to ``bound`` names (nothing makes names repeat)."""
    keys: dict[str, _K] = {}
    for name in names:
        if name in known:
            key = known[name]
        else:
            key = key_of(name)
            if len(known) < bound:
                known[name] = key
        if key is not None:
            keys[name] = key
    return keys
