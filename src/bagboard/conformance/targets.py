"""The list endpoints to check, with what each owes beyond the shared envelope.

Each target names the query that produces the list (built from what discovery found), the
shape of its items, the ``mode``/``scope`` value its envelope echoes, rules on single items
and on the order of neighbours. *Light* targets are extra sort orders, checked only for their
items and a walk: ties are common in them, so they exercise the tie-break.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bagboard.adapters.http.browse_json import RECENT_SCOPE, STAMP_FORMAT
from bagboard.conformance.discovery import FS, META, Found
from bagboard.conformance.shapes import Shape
from bagboard.conformance.wire import (
    FEED_ITEM,
    FILE_ROW_KEYS,
    FOLDER,
    ISSUE,
    METADATA_ISSUE,
    PUBLISHER_FACET,
    RECENT,
    SERIES_FACET,
    SHELF,
)
from bagboard.domain.naturalsort import natural_key
from bagboard.domain.shelves import Shelf, ShelfKind

Rule = Callable[[Any], list[str]]
# A predicate on two neighbours (earlier, later) and what it means, for a failure line.
Order = tuple[Callable[[Any, Any], bool], str]


@dataclass(frozen=True)
class ListTarget:
    name: str
    path: str
    shape: Shape
    params: dict[str, str] = field(default_factory=dict)
    marker: tuple[str, str] | None = None
    feed: bool = False
    rules: Rule | None = None
    order: Order | None = None
    order_is_extension: bool = False
    light: bool = False
    etag: bool = True


def _folder_rules(item: Any) -> list[str]:
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


def _series_facet_rules(item: Any) -> list[str]:
    year = item.get("year") if isinstance(item, dict) else None
    if isinstance(year, str) and year != "":
        return [f'year {year!r}: an int, or "" when no issue has one']
    return []


def _favorite_rules(item: Any) -> list[str]:
    kind = item.get("type") if isinstance(item, dict) else None
    return [] if kind == "publisher" else [f"type {kind!r}, not 'publisher'"]


def _to_read_rules(item: Any) -> list[str]:
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


def _recent_rules(item: Any) -> list[str]:
    kind = item.get("type") if isinstance(item, dict) else None
    problems = [] if kind == "file" else [f"type {kind!r}, not 'file'"]
    return problems + _stamp_problems(item, "added_at")


def _feed_rules(item: Any) -> list[str]:
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


def _natural(key: str) -> Order:
    """Natural order by the server's own key (``page2`` before ``page10``, case-insensitive);
    names whose natural parts are equal may come in either order."""

    def ordered(earlier: Any, later: Any) -> bool:
        a, b = earlier.get(key), later.get(key)
        if not isinstance(a, str) or not isinstance(b, str):
            return True  # a malformed item: the shape check reports it
        return natural_key(a)[0] <= natural_key(b)[0]

    return (ordered, f"{key} in natural order")


def _descending(key: str) -> Order:
    return (lambda a, b: _in_order(a, b, key, descending=True), f"{key} descending")


def _ascending(key: str) -> Order:
    return (
        lambda a, b: _in_order(a, b, key, descending=False),
        f"{key} ascending (oldest first)",
    )


def list_targets(found: Found) -> list[ListTarget | str]:
    """The targets, or for a list discovery found no query for, its name (to SKIP)."""
    targets: list[ListTarget | str] = [
        ListTarget(
            "publishers-filesystem",
            "/library/publishers",
            FOLDER,
            {"mode": FS},
            ("mode", FS),
            rules=_folder_rules,
            order=_natural("name"),
        ),
        ListTarget(
            "publishers-metadata",
            "/library/publishers",
            PUBLISHER_FACET,
            {"mode": META},
            ("mode", META),
        ),
        ListTarget(
            "publishers-metadata-by-count",
            "/library/publishers",
            PUBLISHER_FACET,
            {"mode": META, "sort": "count"},
            order=_descending("count"),
            light=True,
        ),
    ]
    if found.fs_publisher is None:
        targets.append("series-filesystem")
    else:
        params = {"mode": FS, "publisher": found.fs_publisher["value"]}
        targets.append(
            ListTarget(
                "series-filesystem",
                "/library/series",
                FOLDER,
                params,
                ("mode", FS),
                rules=_folder_rules,
            )
        )
    targets += [
        ListTarget(
            "series-metadata",
            "/library/series",
            SERIES_FACET,
            {"mode": META},
            ("mode", META),
            rules=_series_facet_rules,
        ),
        ListTarget(
            "series-metadata-by-count",
            "/library/series",
            SERIES_FACET,
            {"mode": META, "sort": "count"},
            order=_descending("count"),
            light=True,
        ),
        ListTarget(
            "series-metadata-by-year",
            "/library/series",
            SERIES_FACET,
            {"mode": META, "sort": "year"},
            light=True,
        ),
    ]
    fs_params, meta_params = found.fs_issue_params(), found.meta_issue_params()
    if fs_params is None:
        targets.append("issues-filesystem")
    else:
        # Natural order of file names is better: the reference sorts "#10" before "#2".
        targets.append(
            ListTarget(
                "issues-filesystem",
                "/library/issues",
                ISSUE,
                fs_params,
                ("mode", FS),
                order=_natural("name"),
                order_is_extension=True,
            )
        )
    if meta_params is None:
        targets += ["issues-metadata", "issues-metadata-by-year"]
    else:
        targets += [
            ListTarget(
                "issues-metadata",
                "/library/issues",
                METADATA_ISSUE,
                meta_params,
                ("mode", META),
                order=_natural("number"),
            ),
            ListTarget(
                "issues-metadata-by-year",
                "/library/issues",
                METADATA_ISSUE,
                {**meta_params, "sort": "year"},
                light=True,
            ),
        ]
    targets += [
        ListTarget(
            "recent",
            "/library/recent",
            RECENT,
            marker=("scope", RECENT_SCOPE),
            rules=_recent_rules,
            order=_descending("added_at"),
        ),
        ListTarget(
            "favorites",
            "/library/favorites",
            SHELF,
            marker=("scope", Shelf.FAVORITES.value),
            rules=_favorite_rules,
        ),
        ListTarget(
            "to-read",
            "/library/to-read",
            SHELF,
            marker=("scope", Shelf.TO_READ.value),
            rules=_to_read_rules,
            order=_descending("created_at"),
        ),
        # The feed carries server_time, so a validator could never match twice: no ETag.
        ListTarget(
            "progress-since",
            "/progress/since",
            FEED_ITEM,
            {"ts": "0"},
            feed=True,
            rules=_feed_rules,
            order=_ascending("updated_at_unix"),
            etag=False,
        ),
    ]
    return targets
