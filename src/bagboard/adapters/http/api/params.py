"""Query and path parameters as the documentation shows them (``docs/openapi.py``, ``page.py``).

Handlers take every value as an optional string: the service decides what a bad value means (a
default, or its own 400), so the framework never answers a type error of its own. The schema the
documentation shows (type, default, range) is therefore set here, through ``schema_extra``, which
changes only the document, never the parsing.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar.params import Parameter

from bagboard.adapters.http.docs.examples import COMIC_PATH

__all__ = [
    "CursorParam",
    "IssueIdParam",
    "ModeParam",
    "PageNumberParam",
    "PageParam",
    "PageSizeParam",
    "PathParam",
    "PublisherParam",
    "SearchParam",
    "SeriesParam",
    "SizeParam",
    "SortParam",
    "TsParam",
    "VolumeParam",
]


def _query(description: str, **schema: Any) -> Any:
    extra = {"one_of": None, "type": "string", **schema}
    return Parameter(description=description, schema_extra=extra)


def _path(description: str, example: int) -> Any:
    extra = {"type": "integer", "examples": [example]}
    return Parameter(description=description, schema_extra=extra)


PageParam = Annotated[
    str | None,
    _query(
        "Page number, from 1; a missing, non-integer or smaller value means 1.",
        type="integer",
        default=1,
        minimum=1,
    ),
]
PageSizeParam = Annotated[
    str | None,
    _query(
        "Items per page: a non-integer means 50; clamped to 1..200.",
        type="integer",
        default=50,
        minimum=1,
        maximum=200,
    ),
]
ModeParam = Annotated[
    str | None,
    _query(
        "Browse by ComicInfo `metadata` or by `filesystem` folders (case-insensitive); empty "
        "or missing means the server's saved mode.",
        enum=["metadata", "filesystem", ""],
    ),
]
SortParam = Annotated[str | None, _query("Sort order; the default is by name.")]
PublisherParam = Annotated[
    str | None,
    _query(
        "The publisher: its ComicInfo name, or in filesystem mode a folder name or path.",
        examples=["Marvel"],
    ),
]
SeriesParam = Annotated[
    str | None,
    _query(
        "The series: its ComicInfo name, or a folder name or path.",
        examples=["Amazing Spider-Man"],
    ),
]
VolumeParam = Annotated[
    str | None, _query("Filesystem mode: one volume folder of the series (name or path).")
]
SearchParam = Annotated[str | None, _query("Search series names for these words.")]
PathParam = Annotated[
    str | None, _query("Absolute path of the comic or folder.", examples=[COMIC_PATH])
]
SizeParam = Annotated[
    str | None, _query("Longest edge in pixels of the JPEG to send (64..2000).", type="integer")
]
TsParam = Annotated[
    str | None,
    _query("Changes at or after this unix time (seconds); default 0.", type="integer", default=0),
]
CursorParam = Annotated[
    str | None, _query("The `next_cursor` of the previous page: resume right after it.")
]
IssueIdParam = Annotated[str, _path("Comic id, as listings give it; unknown ids are 404.", 42)]
PageNumberParam = Annotated[str, _path("Page number, from 1.", 1)]
