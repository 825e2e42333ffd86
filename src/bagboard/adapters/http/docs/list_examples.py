"""Example answers of the reading-list, story-arc and reading-next endpoints (``examples.py``
holds the others), kept true by the same tests: each validates against the documented schema
with no undeclared key allowed, beside real answers."""

from __future__ import annotations

from typing import Any, Final

from bagboard.adapters.http.docs.examples import ISSUES

__all__ = [
    "ARC",
    "ARCS",
    "CBL_FILE",
    "CONTAINING",
    "IMPORT_REPORT",
    "READING_LIST",
    "READING_LISTS",
]

_STAMP: Final = "2024-05-01 18:30:00"
_ISSUE: Final = dict(ISSUES["items"][0])


def _envelope(items: list[Any]) -> dict[str, Any]:
    count = len(items)
    return {
        "items": items,
        "total": count,
        "page": 1,
        "page_size": 50,
        "total_pages": 1 if count else 0,
        "has_more": False,
    }


_LIST: Final = {
    "id": 3,
    "kind": "list",
    "name": "Amazing Spider-Man: the Ditko years",
    "summary": "From the first issue to Ditko's last.",
    "shared": False,
    "editable": True,
    "entries": 3,
    "comics": 2,
    "cover_issue_id": 42,
    "updated_at": _STAMP,
}
ARC: Final = {
    "id": 7,
    "kind": "arc",
    "name": "The Master Planner",
    "summary": "",
    "shared": True,
    "editable": False,
    "entries": 3,
    "comics": 3,
    "cover_issue_id": 57,
    "updated_at": None,
}
READING_LISTS: Final = _envelope([_LIST])
ARCS: Final = _envelope([ARC])
CONTAINING: Final = _envelope([_LIST, ARC])


def _book(position: int, number: str) -> dict[str, Any]:
    return {
        "position": position,
        "series": "Amazing Spider-Man",
        "number": number,
        "volume": "1963",
        "year": 1963,
    }


# The first page of two entries: one resolved, one the library lacks.
READING_LIST: Final = {
    "list": _LIST,
    "items": [{**_book(1, "1"), "issue": _ISSUE}, {**_book(2, "1.5"), "issue": None}],
    "total": 3,
    "page": 1,
    "page_size": 2,
    "total_pages": 2,
    "has_more": True,
}

IMPORT_REPORT: Final = {
    "list": _LIST,
    "matched": [{**_book(1, "1"), "status": "matched", "issue_id": 42, "candidates": [42]}],
    "ambiguous": [{**_book(2, "2"), "status": "ambiguous", "issue_id": 57, "candidates": [57, 61]}],
    "missing": [{**_book(3, "1.5"), "status": "missing", "issue_id": None, "candidates": []}],
}

CBL_FILE: Final = """<?xml version="1.0" encoding="utf-8"?>
<ReadingList>
  <Name>Amazing Spider-Man: the Ditko years</Name>
  <Summary>From the first issue to Ditko's last.</Summary>
  <Books>
    <Book Series="Amazing Spider-Man" Number="1" Volume="1963" Year="1963" />
    <Book Series="Amazing Spider-Man" Number="2" Volume="1963" Year="1963" />
    <Book Series="Amazing Spider-Man" Number="1.5" Volume="1963" Year="1963" />
  </Books>
</ReadingList>
"""
