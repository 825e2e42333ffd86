"""Parameters and error answers of the reading-list, story-arc and reading-next routes.

Ids are taken as text, as ``/issue/<id>`` takes them: anything but plain decimal digits of a
stored integer is a 404 like an unknown id, never a 400 (``parse_id``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, TypeVar

from litestar.params import Parameter

from bagboard.adapters.http.docs.openapi import error_statuses
from bagboard.domain.errors import InvalidInput, NotFound
from bagboard.domain.images import parse_id

__all__ = [
    "ARC_MISSING",
    "LIST_MISSING",
    "ArcIdParam",
    "ListIdParam",
    "SharedParam",
    "arc_id_of",
    "list_id_of",
    "served",
    "shared_flag",
]

T = TypeVar("T")

LIST_MISSING: Final = error_statuses(
    {404: "`not_found`: no such reading list, or neither the caller's own nor shared."}
)
ARC_MISSING: Final = error_statuses(
    {404: "`not_found`: no such story arc, or none of its comics in the caller's libraries."}
)
# Exactly the documented values: a value the document does not list is refused.
_FLAGS: Final = {"true": True, "false": False, "": False}


def _path(description: str, example: int) -> Any:
    return Parameter(
        description=description, schema_extra={"type": "integer", "examples": [example]}
    )


ListIdParam = Annotated[
    str, _path("Reading list id, as `GET /readlists` gives it; unknown ids are 404.", 3)
]
ArcIdParam = Annotated[str, _path("Story arc id, as `GET /arcs` gives it; unknown ids are 404.", 7)]
SharedParam = Annotated[
    str | None,
    Parameter(
        description="`true`: import the list as a shared one, which every user sees (owners "
        "only: a reader gets 403). Missing, empty or `false`: the caller's own list. Any other "
        "value is 400 `invalid_input`.",
        schema_extra={"one_of": None, "type": "string", "enum": ["true", "false", ""]},
    ),
]


def _id(raw: str, what: str) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound(f"no such {what}")
    return found


def list_id_of(raw: str) -> int:
    return _id(raw, "reading list")


def arc_id_of(raw: str) -> int:
    return _id(raw, "story arc")


def shared_flag(raw: str | None) -> bool:
    flag = _FLAGS.get(raw or "")
    if flag is None:
        raise InvalidInput("shared must be true or false")
    return flag


def served(service: T | None) -> T:
    """A service the app was given; a server built without reading lists answers their
    routes as it answers unknown ones."""
    if service is None:
        raise NotFound("reading lists are not served here")
    return service
