"""Where the reference server departs from its own reference document.

The kit was run against the reference server (CLU 6.3.1, as its Dockerfile runs it) and found
answers that contradict the reference page the same server publishes. A client author must be
told about them, but the reference cannot be failed for being the reference: the core check
accepts both answers, and a separate check holds the server to the document and is reported
as a *reference deviation*, never counted in the exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "COVER_SIZE_IGNORED",
    "HAS_COMICINFO_INTEGER",
    "KNOWN_DEVIATIONS",
    "NON_INTEGER_ID_HTML",
    "Deviation",
]


@dataclass(frozen=True, slots=True)
class Deviation:
    """One known departure: what the document promises and what the reference answered;
    ``check`` names the check that holds a server to the document."""

    id: str
    check: str
    document: str
    reference: str


HAS_COMICINFO_INTEGER: Final = Deviation(
    "has-comicinfo-integer",
    "has-comicinfo-boolean",
    "has_comicinfo is a JSON boolean (the document shows true)",
    "the integer 1 or 0, in issue lists and issue detail",
)
NON_INTEGER_ID_HTML: Final = Deviation(
    "non-integer-id-html",
    "json-error",
    "an id that is not an integer names no file: 404 with a JSON error {'error': 'not_found'}",
    "the web framework's HTML 404 page",
)
COVER_SIZE_IGNORED: Final = Deviation(
    "cover-size-ignored",
    "refused",
    "the cover's size is an int: a size that is not one is refused with 400",
    "ignored: 200 with a cover of the default size",
)

KNOWN_DEVIATIONS: Final = (HAS_COMICINFO_INTEGER, NON_INTEGER_ID_HTML, COVER_SIZE_IGNORED)
