"""Rules of single list items, and of the order of neighbours, that the wire structs cannot
express: which keys go together, what a value may be, how a list is sorted (contract §4, §6).

Each rule returns the problems it finds (none for a good item); a malformed value is left to
the shape check, so one fault is reported once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bagboard.adapters.http.api.browse_json import STAMP_FORMAT
from bagboard.conformance.wire import FILE_ROW_KEYS
from bagboard.domain.naturalsort import natural_key
from bagboard.domain.shelves import ShelfKind

__all__ = [
    "Order",
    "Rule",
    "ascending",
    "descending",
    "favorite_rules",
    "feed_rules",
    "folder_rules",
    "natural",
    "recent_rules",
    "series_facet_rules",
    "to_read_rules",
]

Rule = Callable[[Any], list[str]]
# A predicate on two neighbours (earlier, later) and what it means, for a failure line.
Order = tuple[Callable[[Any, Any], bool], str]


def folder_rules(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return []
    problems = []
    if item.get("value") != item.get("name"):
        problems.append("value differs from name")
    volumes = item.get("volumes")
    if volumes == []:
        problems.append("volumes is [] (the key must be absent instead)")
    elif isinstance(volumes, list) and all(isinstance(v, str) for v in volumes):
        keys = [natural_key(v)[0] for v in volumes]
        if keys != sorted(keys):
            problems.append(f"volumes {volumes} not in natural order")
    return problems


def series_facet_rules(item: Any) -> list[str]:
    year = item.get("year") if isinstance(item, dict) else None
    if isinstance(year, str) and year != "":
        return [f'year {year!r}: an int, or "" when no issue has one']
    return []


def favorite_rules(item: Any) -> list[str]:
    kind = item.get("type") if isinstance(item, dict) else None
    return [] if kind == "publisher" else [f"type {kind!r}, not 'publisher'"]


def to_read_rules(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return []
    kind, present = item.get("type"), FILE_ROW_KEYS & item.keys()
    if kind == ShelfKind.FILE.value and present != FILE_ROW_KEYS:
        return [f"a file row without {', '.join(sorted(FILE_ROW_KEYS - present))}"]
    if kind == ShelfKind.FOLDER.value and present:
        return [f"a folder row with {', '.join(sorted(present))}"]
    if kind not in (ShelfKind.FILE.value, ShelfKind.FOLDER.value):
        return [f"type {kind!r}, neither 'file' nor 'folder'"]
    if ("series" in item) != ("volume" in item):
        return ["a volume row needs both series and volume"]
    if item.get("volumes", None) == []:
        return ["volumes is [] (the key must be absent instead)"]
    return []


def _stamp_problems(item: Any, key: str) -> list[str]:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str):
        return []  # the shape check reports a missing or mistyped key
    try:
        datetime.strptime(value, STAMP_FORMAT)  # noqa: DTZ007 - only the format is checked here
    except ValueError:
        return [f"{key} {value!r} is not YYYY-MM-DD HH:MM:SS"]
    return []


def recent_rules(item: Any) -> list[str]:
    kind = item.get("type") if isinstance(item, dict) else None
    problems = [] if kind == "file" else [f"type {kind!r}, not 'file'"]
    return problems + _stamp_problems(item, "added_at")


def feed_rules(item: Any) -> list[str]:
    """``updated_at`` (UTC text) and ``updated_at_unix`` name the same second."""
    problems = _stamp_problems(item, "updated_at")
    if problems or not isinstance(item, dict):
        return problems
    text, unix = item.get("updated_at"), item.get("updated_at_unix")
    if isinstance(text, str) and isinstance(unix, int):
        shown = datetime.fromtimestamp(unix, UTC).strftime(STAMP_FORMAT)
        if shown != text:
            return [f"updated_at {text!r} but updated_at_unix {unix} is {shown!r} UTC"]
    return []


def _in_order(earlier: Any, later: Any, key: str, *, descending: bool) -> bool:
    try:
        a, b = earlier[key], later[key]
        return bool(a >= b) if descending else bool(a <= b)
    except (TypeError, KeyError):  # a malformed item: the shape check reports it
        return True


def natural(key: str) -> Order:
    """Natural order by the server's own key (``page2`` before ``page10``, case-insensitive);
    names whose natural parts are equal may come in either order."""

    def ordered(earlier: Any, later: Any) -> bool:
        a, b = earlier.get(key), later.get(key)
        if not isinstance(a, str) or not isinstance(b, str):
            return True  # a malformed item: the shape check reports it
        return natural_key(a)[0] <= natural_key(b)[0]

    return (ordered, f"{key} in natural order")


def descending(key: str) -> Order:
    return (lambda a, b: _in_order(a, b, key, descending=True), f"{key} descending")


def ascending(key: str) -> Order:
    return (
        lambda a, b: _in_order(a, b, key, descending=False),
        f"{key} ascending (oldest first)",
    )
