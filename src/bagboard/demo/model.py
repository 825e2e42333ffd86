"""The plan of a synthetic library: series, issues and folder images, decided before writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "CORRUPT_KINDS",
    "COVER_POOL",
    "DAY",
    "LAST_YEAR",
    "LIBRARY_END",
    "LIBRARY_START",
    "PAGE_POOL",
    "FolderImage",
    "Issue",
    "Plan",
    "Series",
]

COVER_POOL = 12
PAGE_POOL = 24
# File times fall in this window (and never before the issue's cover date), so "added" dates in an
# index spread over years as they do in a library collected over time.
LIBRARY_START = int(datetime(2012, 1, 1, tzinfo=UTC).timestamp())
LIBRARY_END = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
LAST_YEAR = 2024
DAY = 86_400
# Corrupt files cycle through what broken downloads look like.
CORRUPT_KINDS = ("truncated", "html", "empty")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    writer: str
    penciller: str
    genre: str
    characters: str
    language: str


@dataclass(frozen=True, slots=True)
class Issue:
    path: str
    kind: str
    series: Series
    publisher: str
    number: int
    count: int
    volume: int
    year: int
    month: int
    title: str
    summary: str
    comic_info: bool
    page_folder: str
    cover: int
    pages: tuple[int, ...]
    mtime: int


@dataclass(frozen=True, slots=True)
class FolderImage:
    path: str
    image: int
    mtime: int


@dataclass(slots=True)
class Plan:
    issues: list[Issue]
    folder_images: list[FolderImage]
    publishers: int
    series: int
    volume_folders: int
