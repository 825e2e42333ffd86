"""Placeholder parser (replaced)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NameParts", "parse_file_name"]


@dataclass(frozen=True, slots=True)
class NameParts:
    series: str = ""
    number: str = ""
    volume: str = ""
    year: str = ""
    title: str = ""
    count: str = ""


_SIMPLE = re.compile(r"^(?P<series>.*?)\s*#?(?P<number>\d+(?:\.\d+)?)\s*(?:\((?P<year>\d{4})\))?")


def parse_file_name(name: str) -> NameParts:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    match = _SIMPLE.match(stem)
    if match is None:
        return NameParts(series=stem.strip())
    number = match.group("number").lstrip("0") or "0"
    return NameParts(
        series=match.group("series").strip(" -_"), number=number, year=match.group("year") or ""
    )
