"""Story arcs from metadata: ComicInfo ``StoryArc`` and ``StoryArcNumber``.

Both fields are comma-separated lists read in step: ``StoryArc="Civil War, Road to Civil
War"`` with ``StoryArcNumber="3, 7"`` makes the comic the third part of "Civil War" and the
seventh of "Road to Civil War". A missing or blank number leaves that part unnumbered; an arc
named twice counts once (its first number). An arc groups comics by its name as browsing
groups names (``browse.grouping_key``), across series and libraries, and reads in arc number
order, then by date: unnumbered parts after the numbered ones.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bagboard.domain.browse import grouping_key

__all__ = ["ArcPart", "StoryArc", "arc_number_sort", "arc_parts"]

# More arcs than this on one comic is a broken tag, not a crossover.
_MAX_ARCS_PER_COMIC = 50
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class ArcPart:
    """One comic's place in one arc: the arc's ``name`` as tagged, its grouping ``key``, the
    ``number`` as tagged ("" when none) and ``number_sort`` (None: unnumbered)."""

    key: str
    name: str
    number: str = ""
    number_sort: float | None = None


@dataclass(frozen=True, slots=True)
class StoryArc:
    """An arc as a reader sees it: an id stable for its key, its most common spelling, the
    number of comics the reader may see in it, and the first of them (the arc's cover)."""

    id: int
    name: str
    comics: int
    first_comic_id: int | None = None


def arc_number_sort(number: str) -> float | None:
    """The arc number as a number to order by: the first number in the text (``"3"``,
    ``"3.5"``, ``"Part 2"``), None when it holds none or one beyond any real arc."""
    found = _NUMBER.search(number)
    if found is None:
        return None
    value = float(found.group())
    return value if math.isfinite(value) and abs(value) < 1e9 else None


def arc_parts(story_arc: str, story_arc_number: str) -> tuple[ArcPart, ...]:
    """The arcs a comic's ComicInfo places it in, in tag order, each once."""
    names = story_arc.split(",")
    numbers = story_arc_number.split(",") if story_arc_number.strip() else []
    parts: dict[str, ArcPart] = {}
    for index, raw in enumerate(names):
        name = " ".join(raw.split())
        key = grouping_key(name)
        if not key or key in parts:
            continue
        number = numbers[index].strip() if index < len(numbers) else ""
        parts[key] = ArcPart(key, name, number, arc_number_sort(number))
        if len(parts) >= _MAX_ARCS_PER_COMIC:
            break
    return tuple(parts.values())
