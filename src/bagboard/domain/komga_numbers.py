"""Komga's ``numberSort``: a number per book that increases and never repeats in a series.

Mihon's Komga tracker syncs by it (chapter number = ``numberSort``), so two books of one
series must never share one. The ComicInfo numbers serve when every one parses as a number
and no two are equal; otherwise the position in the series (1-based) does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["number_sorts", "parse_number"]


def parse_number(text: str) -> float | None:
    """A ComicInfo ``Number`` as a finite float (``"1.5"``, ``" 10 "``, ``"-1"``), else None."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        value = float(stripped)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def number_sorts(numbers: Sequence[str]) -> list[float]:
    """The ``numberSort`` of each book, given the books' numbers in the series' order."""
    parsed = [parse_number(number) for number in numbers]
    values = [value for value in parsed if value is not None]
    if len(values) == len(parsed) and len(set(values)) == len(values):
        return values
    return [float(position) for position in range(1, len(numbers) + 1)]
