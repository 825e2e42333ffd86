"""Query, path and header parameters as the documentation shows them (``docs/openapi.py``).

Handlers take every value as an optional string: the service decides what a bad value means (a
default, a clamp, or its own 400), so the framework never answers a type error of its own. The
schema the documentation shows (type, default, bounds) is therefore set here, through
``schema_extra``, which changes only the document, never the parsing.

The document promises only what the server enforces: a value the server clamps has no
``minimum``/``maximum`` (nothing out of range is refused), and a parameter the server refuses to
go without is ``required`` there even though the handler takes it as optional, because Litestar
would otherwise answer its absence with its own error instead of the reference's sentence
(``required=True`` on an optional ``str | None`` changes the document only).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import HeaderParameter, Parameter

from bagboard.adapters.http.docs.examples import COMIC_PATH
from bagboard.services.progress import MAX_PATH_BYTES

__all__ = [
    "FILESYSTEM_PUBLISHER",
    "NAMED",
    "NO_NUL",
    "ComicPathParam",
    "CursorParam",
    "IfModifiedSince",
    "IfRange",
    "IssueIdParam",
    "IssuesPublisherParam",
    "ModeParam",
    "PageNumberParam",
    "PageParam",
    "PageSizeParam",
    "RangeHeader",
    "RequiredPathParam",
    "RequiredSeriesParam",
    "SearchParam",
    "SeriesPublisherParam",
    "SizeParam",
    "SortParam",
    "TsParam",
    "VolumeParam",
]


def _query(description: str, *, required: bool | None = None, **schema: Any) -> Any:
    extra = {"one_of": None, "type": "string", **schema}
    return Parameter(description=description, required=required, schema_extra=extra)


def _header(name: str, description: str, **schema: Any) -> Any:
    extra = {"one_of": None, "type": "string", **schema}
    return HeaderParameter(name=name, required=False, description=description, schema_extra=extra)


def _path(description: str, example: int) -> Any:
    extra = {"type": "integer", "examples": [example]}
    return Parameter(description=description, schema_extra=extra)


# A value the server takes as given: some character that is neither NUL nor whitespace as
# Python's ``str.strip`` sees it (a blank value counts as missing), and no NUL anywhere (no
# folder name or ComicInfo value holds one: 400).
_BLANK: Final = (
    r"\x00\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NAMED: Final = rf"^[^\x00]*[^{_BLANK}][^\x00]*$"
NO_NUL: Final = r"^[^\x00]*$"
# The integers ``ts`` takes: at most 20 characters, sign included.
_TS_MIN: Final = -(10**19 - 1)
_TS_MAX: Final = 10**20 - 1
FILESYSTEM_PUBLISHER: Final = (
    " In filesystem mode (`mode=filesystem`, or the server's saved mode when `mode` is empty "
    "or missing) it is required: without it the answer is 400 `Missing 'publisher' parameter`."
)
_NUL_NOTE: Final = " A NUL character is 400 in either mode."
_FOLDER_NOTE: Final = (
    " A folder part containing a `..` segment, or an absolute path outside the caller's "
    "libraries, is 400 `invalid_path`; a name that matches no folder gives an empty list."
)

PageParam = Annotated[
    str | None,
    _query(
        "Page number, from 1. Never refused: a missing, non-integer or smaller value means 1; "
        "a page past the end is an empty `items`.",
        type=["integer", "string"],
        default=1,
    ),
]
PageSizeParam = Annotated[
    str | None,
    _query(
        "Items per page. Never refused: a missing or non-integer value means 50, and any "
        "integer is clamped to 1..200 (the answer's `page_size` says which was used).",
        type=["integer", "string"],
        default=50,
    ),
]
ModeParam = Annotated[
    str | None,
    _query(
        "Browse by ComicInfo `metadata` or by `filesystem` folders (case-insensitive); empty "
        "or missing means the server's saved mode (`GET /auth/ping` tells it). Any other "
        "value is 400 `invalid_mode`.",
        enum=["metadata", "filesystem", ""],
    ),
]
SortParam = Annotated[
    str | None,
    _query("Sort order; the default is by name, and an unknown value means the default."),
]
SeriesPublisherParam = Annotated[
    str | None,
    _query(
        "Metadata mode: an optional filter, the ComicInfo publisher (case-insensitive). "
        "Filesystem mode: the publisher folder, by name or by the `path` a listing gave."
        + FILESYSTEM_PUBLISHER
        + _FOLDER_NOTE
        + _NUL_NOTE,
        examples=["Marvel"],
        pattern=NO_NUL,
    ),
]
IssuesPublisherParam = Annotated[
    str | None,
    _query(
        "Metadata mode: an optional filter, the ComicInfo publisher (case-insensitive). "
        "Filesystem mode: the publisher folder, by name or path."
        + FILESYSTEM_PUBLISHER.replace("'publisher' parameter", "'publisher' or 'series' parameter")
        + _FOLDER_NOTE
        + _NUL_NOTE,
        examples=["Marvel"],
        pattern=NO_NUL,
    ),
]
RequiredSeriesParam = Annotated[
    str | None,
    _query(
        "The series, in either mode: its ComicInfo name (case-insensitive), or in filesystem "
        "mode its folder, by name or path. Without it the answer is 400 `Missing 'series' "
        "parameter` (filesystem mode: `Missing 'publisher' or 'series' parameter`); a blank "
        "value counts as missing." + _FOLDER_NOTE + _NUL_NOTE,
        required=True,
        examples=["Amazing Spider-Man"],
        pattern=NAMED,
    ),
]
VolumeParam = Annotated[
    str | None,
    _query(
        "Filesystem mode: one volume folder of the series (name or path); a NUL character is "
        "400 there. Metadata mode ignores it." + _FOLDER_NOTE
    ),
]
SearchParam = Annotated[
    str | None,
    _query(
        "Metadata mode: search series names, titles and file names for this text "
        "(case-insensitive; `%` and `_` are literal); there a NUL character is 400. "
        "Filesystem mode ignores it.",
    ),
]
RequiredPathParam = Annotated[
    str | None,
    _query(
        "Absolute path of the comic or folder, as listings give it. Required: without it, or "
        "empty, the answer is 400 `Missing 'path' parameter`; a NUL character is 400 too.",
        required=True,
        examples=[COMIC_PATH],
        minLength=1,
        pattern=NO_NUL,
    ),
]
ComicPathParam = Annotated[
    str | None,
    _query(
        "Absolute path of the comic, as listings give it (a path not indexed is kept as "
        "given). Required: without it, or empty, the answer is 400 `Missing 'path' "
        "parameter`; a NUL character or more than 2048 bytes of UTF-8 is 400 too.",
        required=True,
        examples=[COMIC_PATH],
        minLength=1,
        maxLength=MAX_PATH_BYTES,
        pattern=NO_NUL,
    ),
]
SizeParam = Annotated[
    str | None,
    _query(
        "Longest edge in pixels of the JPEG to send. Any integer is taken and clamped to "
        "64..2000 (a huge one means 2000); a value that is not an integer is 400.",
        type="integer",
    ),
]
TsParam = Annotated[
    str | None,
    Parameter(
        description="Changes at or after this unix time (seconds). Missing or blank means 0, "
        "and so does a negative time. A value that is not an integer of at most 20 characters "
        "is 400 `ts must be an integer unix timestamp`.",
        schema_extra={
            "one_of": None,
            "default": 0,
            "any_of": [
                Schema(type=OpenAPIType.INTEGER, minimum=_TS_MIN, maximum=_TS_MAX),
                Schema(type=OpenAPIType.STRING, pattern=r"^\s*$"),
            ],
        },
    ),
]
CursorParam = Annotated[
    str | None,
    _query(
        "The `next_cursor` of a previous page: resume right after it. It is opaque: a value "
        "this server did not hand out is 400."
    ),
]
IssueIdParam = Annotated[str, _path("Comic id, as listings give it; unknown ids are 404.", 42)]
PageNumberParam = Annotated[str, _path("Page number, from 1.", 1)]

RangeHeader = Annotated[
    str | None,
    _header(
        "Range",
        "`bytes=A-B`, `A-`, `-N` or several of them: 206 with that part (several: "
        "`multipart/byteranges`); none inside the file: 416. A malformed value or another "
        "unit is ignored (200).",
        examples=["bytes=0-1023"],
    ),
]
IfRange = Annotated[
    str | None,
    _header(
        "If-Range",
        "An `ETag` or `Last-Modified` of the file: `Range` is honoured only while it still "
        "holds, else the whole file is sent (200).",
    ),
]
IfModifiedSince = Annotated[
    str | None,
    _header(
        "If-Modified-Since",
        "An HTTP date: 304 when the file is not newer (ignored when `If-None-Match` is sent).",
    ),
]
