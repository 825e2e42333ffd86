"""The list endpoints to check, with what each owes beyond the shared envelope.

Each target names the query that produces the list (built from what discovery found), the
shape of its items, the ``mode``/``scope`` value its envelope echoes, rules on single items
and on the order of neighbours. *Light* targets are extra sort orders, checked only for their
items and a walk: ties are common in them, so they exercise the tie-break.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bagboard.adapters.http.api.browse_json import RECENT_SCOPE
from bagboard.conformance.discovery import FS, META, Found
from bagboard.conformance.rules import (
    Order,
    Rule,
    ascending,
    descending,
    favorite_rules,
    feed_rules,
    folder_rules,
    natural,
    recent_rules,
    series_facet_rules,
    to_read_rules,
)
from bagboard.conformance.shapes import Shape
from bagboard.conformance.wire import (
    FEED_ITEM,
    FOLDER,
    ISSUE,
    METADATA_ISSUE,
    PUBLISHER_FACET,
    RECENT,
    SERIES_FACET,
    SHELF,
)
from bagboard.domain.shelves import Shelf

__all__ = ["ListTarget", "list_targets"]


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


def list_targets(found: Found) -> list[ListTarget | str]:
    """The targets, or for a list discovery found no query for, its name (to SKIP)."""
    targets: list[ListTarget | str] = [
        ListTarget(
            "publishers-filesystem",
            "/library/publishers",
            FOLDER,
            {"mode": FS},
            ("mode", FS),
            rules=folder_rules,
            order=natural("name"),
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
            order=descending("count"),
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
                rules=folder_rules,
            )
        )
    targets += [
        ListTarget(
            "series-metadata",
            "/library/series",
            SERIES_FACET,
            {"mode": META},
            ("mode", META),
            rules=series_facet_rules,
        ),
        ListTarget(
            "series-metadata-by-count",
            "/library/series",
            SERIES_FACET,
            {"mode": META, "sort": "count"},
            order=descending("count"),
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
                order=natural("name"),
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
                order=natural("number"),
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
            rules=recent_rules,
            order=descending("added_at"),
        ),
        ListTarget(
            "favorites",
            "/library/favorites",
            SHELF,
            marker=("scope", Shelf.FAVORITES.value),
            rules=favorite_rules,
        ),
        ListTarget(
            "to-read",
            "/library/to-read",
            SHELF,
            marker=("scope", Shelf.TO_READ.value),
            rules=to_read_rules,
            order=descending("created_at"),
        ),
        # The feed carries server_time, so a validator could never match twice: no ETag.
        ListTarget(
            "progress-since",
            "/progress/since",
            FEED_ITEM,
            {"ts": "0"},
            feed=True,
            rules=feed_rules,
            order=ascending("updated_at_unix"),
            etag=False,
        ),
    ]
    return targets
