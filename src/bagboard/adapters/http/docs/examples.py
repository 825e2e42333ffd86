"""Example answers the documentation shows, one per JSON endpoint (``page.py``).

They are written by hand to read well, and kept true by tests/unit/test_http_docs.py, which
validates each against the documented schema with no undeclared key allowed, beside real answers.
"""

from __future__ import annotations

from typing import Any, Final

from bagboard.adapters.http.api.browse_json import ISSUE_METADATA_FIELDS

__all__ = [
    "COMIC_PATH",
    "FAVORITE",
    "FAVORITES",
    "ISSUE",
    "ISSUES",
    "ISSUE_FILES",
    "OK",
    "PAGES",
    "PING",
    "PROBLEMS",
    "PROGRESS",
    "PROGRESS_WRITE",
    "PUBLISHERS",
    "PUBLISHER_FOLDERS",
    "READ_MARK",
    "RECENT",
    "SERIES",
    "SERIES_FOLDERS",
    "SINCE",
    "TO_READ",
    "WANT_TO_READ",
]

_ROOT: Final = "/comics"
_ASM: Final = f"{_ROOT}/Marvel/Amazing Spider-Man"
COMIC_PATH: Final = f"{_ASM}/Amazing Spider-Man #1.cbz"
_STAMP: Final = "2024-05-01 18:30:00"
_UNIX: Final = 1714588200


def _envelope(items: list[Any], **extra: Any) -> dict[str, Any]:
    count = len(items)
    return {
        "items": items,
        "total": count,
        "page": 1,
        "page_size": 50,
        "total_pages": 1 if count else 0,
        "has_more": False,
        **extra,
    }


OK: Final = {"ok": True}
PING: Final = {"ok": True, "version": "0.1.0", "browse_mode": "metadata"}
PUBLISHERS: Final = _envelope(
    [{"value": "Marvel", "name": "Marvel", "count": 12, "has_thumbnail": False, "path": None}],
    mode="metadata",
)
PUBLISHER_FOLDERS: Final = _envelope(
    [
        {
            "value": "Marvel",
            "name": "Marvel",
            "path": f"{_ROOT}/Marvel",
            "has_thumbnail": True,
            "count": 12,
        }
    ],
    mode="filesystem",
)
SERIES: Final = _envelope(
    [
        {
            "value": "Amazing Spider-Man",
            "name": "Amazing Spider-Man",
            "publisher": "Marvel",
            "count": 5,
            "year": 1963,
        }
    ],
    mode="metadata",
)
SERIES_FOLDERS: Final = _envelope(
    [
        {
            "value": "Swamp Thing",
            "name": "Swamp Thing",
            "path": f"{_ROOT}/DC Comics/Swamp Thing",
            "has_thumbnail": True,
            "count": 40,
            "volumes": ["v1972", "v1985"],
        }
    ],
    mode="filesystem",
)
ISSUES: Final = _envelope(
    [
        {
            "id": 42,
            "name": "Amazing Spider-Man #1.cbz",
            "path": COMIC_PATH,
            "size": 24117248,
            "has_comicinfo": True,
            "has_progress": True,
            "last_page": 7,
            "is_read": False,
            "page_count": 24,
            "title": "Spider-Man!",
            "series": "Amazing Spider-Man",
            "number": "1",
            "year": "1963",
            "publisher": "Marvel",
        }
    ],
    mode="metadata",
)
ISSUE_FILES: Final = _envelope(
    [{key: value for key, value in ISSUES["items"][0].items() if key not in ISSUE_METADATA_FIELDS}],
    mode="filesystem",
)
PROBLEMS: Final = _envelope(
    [
        {
            "id": 57,
            "library": "comics",
            "path": f"{_ASM}/Amazing Spider-Man #2.cbz",
            "error": "the archive is corrupt, truncated or in an unsupported format",
            "tried_at": _STAMP,
        }
    ]
)
RECENT: Final = _envelope(
    [
        {
            "id": 42,
            "value": "Amazing Spider-Man #1.cbz",
            "name": "Amazing Spider-Man #1.cbz",
            "path": COMIC_PATH,
            "size": 24117248,
            "added_at": _STAMP,
            "has_progress": False,
            "last_page": None,
            "type": "file",
        }
    ],
    scope="recent",
)
FAVORITES: Final = _envelope(
    [
        {
            "value": "Marvel",
            "name": "Marvel",
            "path": f"{_ROOT}/Marvel",
            "type": "publisher",
            "created_at": _STAMP,
        }
    ],
    scope="favorites",
)
TO_READ: Final = _envelope(
    [
        {
            "value": "Amazing Spider-Man #1.cbz",
            "name": "Amazing Spider-Man #1.cbz",
            "path": COMIC_PATH,
            "type": "file",
            "created_at": _STAMP,
            "id": 42,
            "has_progress": True,
            "last_page": 7,
        },
        {
            "value": "Swamp Thing",
            "name": "Swamp Thing",
            "path": f"{_ROOT}/DC Comics/Swamp Thing",
            "type": "folder",
            "created_at": _STAMP,
            "volumes": ["v1972", "v1985"],
        },
    ],
    scope="to_read",
)
PROGRESS: Final = {
    "page_number": 7,
    "total_pages": 24,
    "updated_at": _STAMP,
    "time_spent": 540,
    "updated_at_unix": _UNIX,
    "client_updated_at": _UNIX,
}
SINCE: Final = {
    **_envelope(
        [
            {
                "comic_path": COMIC_PATH,
                "page_number": 7,
                "total_pages": 24,
                "time_spent": 540,
                "updated_at": _STAMP,
                "updated_at_unix": _UNIX,
            },
            {
                "comic_path": f"{_ASM}/Amazing Spider-Man #2.cbz",
                "page_number": None,
                "total_pages": None,
                "time_spent": 600,
                "updated_at": _STAMP,
                "updated_at_unix": _UNIX,
                "read": True,
                "page_count": 22,
            },
        ]
    ),
    "count": 2,
    "next_cursor": "MTcxNDU4ODIwMDAwMDAwMC4wLjQy",
    "server_time": _UNIX + 60,
}
ISSUE: Final = {
    "id": 42,
    "name": "Amazing Spider-Man #1.cbz",
    "path": COMIC_PATH,
    "size": 24117248,
    "modified_at": _UNIX,
    "has_comicinfo": True,
    "metadata": {
        "title": "Spider-Man!",
        "series": "Amazing Spider-Man",
        "number": "1",
        "count": "",
        "volume": "1963",
        "year": "1963",
        "writer": "Stan Lee",
        "penciller": "Steve Ditko",
        "inker": "Steve Ditko",
        "colorist": "",
        "letterer": "",
        "coverartist": "Jack Kirby",
        "publisher": "Marvel",
        "genre": "Superhero",
        "characters": "Spider-Man",
    },
    "progress": PROGRESS,
    # Fields ComicInfo.xml left blank and the file name or folders filled, with where from,
    # e.g. {"series": "folder"}; empty when ComicInfo gave them.
    "metadata_sources": {},
    "page_count": 24,
    "is_read": False,
    "format": "zip",
}
PAGES: Final = {
    "items": [
        {"number": 1, "width": 1988, "height": 3056, "size": 1048576, "media_type": "image/jpeg"}
    ],
    "total": 1,
}

# Request bodies.
PROGRESS_WRITE: Final = {
    "path": COMIC_PATH,
    "page_number": 7,
    "total_pages": 24,
    "time_spent": 540,
    "updated_at": _UNIX,
}
READ_MARK: Final = {"path": COMIC_PATH, "page_count": 24, "time_spent": 600}
FAVORITE: Final = {"path": f"{_ROOT}/Marvel"}
WANT_TO_READ: Final = {"path": COMIC_PATH, "type": "file"}
