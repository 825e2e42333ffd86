"""What the browse endpoints list, and the pure rules behind them (contract §4).

Rows are what the read ports return; the rules (volume detection, display names, sort
parsing, path checks) are plain functions so they are tested with literals.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bagboard.domain.errors import InvalidPath
from bagboard.domain.naturalsort import natural_sorted

__all__ = [
    "ISSUE_SORTS",
    "NO_READING",
    "PUBLISHER_SORTS",
    "RECENT_WINDOW_DAYS",
    "SERIES_DEPTH",
    "SERIES_SORTS",
    "ComicRow",
    "Facet",
    "FolderRow",
    "FolderShape",
    "ReadingState",
    "Scope",
    "Sort",
    "check_path_part",
    "display_name",
    "folder_display_name",
    "grouping_key",
    "is_absolute",
    "is_volume_name",
    "normalise_path",
    "volumes",
]

RECENT_WINDOW_DAYS = 30
_VOLUME_NAME = re.compile(r"^v\d{4}$", re.IGNORECASE)


class Sort(StrEnum):
    ALPHA = "alpha"
    COUNT = "count"
    YEAR = "year"
    RECENT = "recent"

    @classmethod
    def parse(cls, raw: str | None, allowed: Iterable[Sort]) -> Sort:
        """An allowed sort, or ``alpha`` for anything else (the reference never errors)."""
        text = (raw or "").strip().lower()
        return next((sort for sort in allowed if sort.value == text), cls.ALPHA)


PUBLISHER_SORTS = (Sort.ALPHA, Sort.COUNT)
SERIES_SORTS = (Sort.ALPHA, Sort.COUNT, Sort.YEAR, Sort.RECENT)
ISSUE_SORTS = (Sort.ALPHA, Sort.YEAR, Sort.RECENT)


@dataclass(frozen=True, slots=True)
class Scope:
    """The libraries one request may see: enabled ones, cut to the user's allowance."""

    library_ids: tuple[int, ...]
    roots: tuple[str, ...]

    def contains(self, path: str) -> bool:
        return self.depth(path) is not None

    def depth(self, path: str) -> int | None:
        """How far below its library root ``path`` lies (0 for the root), None outside."""
        for root in self.roots:
            base = root.rstrip("/")
            if path in (root, base):
                return 0
            if path.startswith(base + "/"):
                return path[len(base) + 1 :].strip("/").count("/") + 1
        return None


@dataclass(frozen=True, slots=True)
class FolderRow:
    id: int
    library_id: int
    parent_id: int | None
    path: str
    name: str
    depth: int
    has_thumbnail: bool
    comic_count: int


SERIES_DEPTH = 2


@dataclass(frozen=True, slots=True)
class FolderShape:
    """What volume detection needs of one folder: its depth below the library root, the
    comics it holds directly, its children as (name, recursive count, direct count), and,
    for a series folder holding no comic directly, the folders further down that hold some,
    by their path below it (``Arc 1/v2``)."""

    depth: int
    direct_count: int
    children: tuple[tuple[str, int, int], ...] = ()
    deeper: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComicRow:
    id: int
    library_id: int
    path: str
    name: str
    size: int
    has_comicinfo: bool
    page_count: int
    added_at: datetime
    title: str = ""
    series: str = ""
    number: str = ""
    year: str = ""
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class Facet:
    """One metadata group (a publisher or a series): its key, its display name, its size."""

    key: str
    name: str
    count: int
    year: int | None = None
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class ReadingState:
    """A user's relation to one comic, for list enrichment."""

    last_page: int | None = None
    is_read: bool = False

    @property
    def has_progress(self) -> bool:
        return self.last_page is not None


NO_READING = ReadingState()


def grouping_key(text: str) -> str:
    """How metadata groups compare: trimmed, Unicode-casefolded, inner spaces collapsed."""
    return " ".join(text.split()).casefold()


def display_name(spellings: Iterable[tuple[str, int]]) -> str:
    """The most common spelling of a group; ties go to the first in code-point order."""
    counts: Counter[str] = Counter()
    for spelling, count in spellings:
        counts[spelling.strip()] += count
    if not counts:
        return ""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def volumes(shape: FolderShape) -> tuple[str, ...] | None:
    """The volumes of a series folder, or None when it is not a multi-volume series.

    A multi-volume series holds no comic directly; its volumes are the folders below it that
    hold comics directly: its subfolders in the reference's layout (contract §4.2), paths
    such as ``Arc 1/v2`` when comics lie deeper (``folder_layout``), in natural order. Only
    series folders (depth 2) qualify: a publisher folder of flat series is not a multi-volume
    series. ``None`` means the key is left out, never ``[]``.
    """
    if shape.depth != SERIES_DEPTH or shape.direct_count:
        return None
    holding = [name for name, _count, direct in shape.children if direct > 0]
    holding += shape.deeper
    if not holding:
        return None
    return tuple(natural_sorted(holding))


def is_volume_name(name: str) -> bool:
    return bool(_VOLUME_NAME.match(name))


def folder_display_name(name: str, parent_name: str | None) -> str:
    """A volume folder named like ``v1985`` shows as ``"<series> v1985"``."""
    if parent_name and is_volume_name(name):
        return f"{parent_name} {name}"
    return name


def check_path_part(raw: str) -> str:
    """A ``publisher``/``series``/``volume``/``path`` value, refused when it climbs with ``..``.

    Backslashes count as separators (a Windows client may send them). The error never
    echoes the value, so no server folder leaks into a response.
    """
    if "\x00" in raw:
        raise InvalidPath("invalid path")
    segments = raw.replace("\\", "/").split("/")
    if ".." in segments:
        raise InvalidPath("invalid path")
    return raw


def is_absolute(raw: str) -> bool:
    return raw.startswith("/")


def normalise_path(raw: str) -> str:
    return posixpath.normpath(check_path_part(raw))
