"""What a response spec cannot say about an answer, added to the document by ``openapi.py``:
the 304 of conditional requests, one status served in several media types, the headers
every answer with a given status carries (RFC 9110), and that an answer to HEAD has no body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from litestar.openapi import ResponseSpec

__all__ = [
    "MEDIA_OPT_KEY",
    "NOT_MODIFIED",
    "RESPONSE_HEADERS",
    "add_headers",
    "add_media_types",
    "bodiless",
    "media_types",
]

MEDIA_OPT_KEY: Final = "media_types"

# A 304 has no body; every handler that takes ``If-None-Match`` lists it.
NOT_MODIFIED: Final = {
    304: ResponseSpec(
        None,
        description="Not modified: `If-None-Match` names the current `ETag` (for a file, "
        "`If-Modified-Since` is not older than it, when no `If-None-Match` is sent); no body.",
        generate_examples=False,
    )
}


def media_types(table: Mapping[int, Sequence[str]]) -> dict[str, Any]:
    """``opt=`` for a handler whose answer with a status comes in several media types (a
    comic file is CBZ, CBR, CB7 or CBT): the binary body is documented under each of them."""
    return {MEDIA_OPT_KEY: {str(status): tuple(types) for status, types in table.items()}}


# Headers that go with a status (RFC 9110), documented wherever it is answered: (text, whether
# every such answer carries it).
RESPONSE_HEADERS: Final[Mapping[str, Mapping[str, tuple[str, bool]]]] = {
    "206": {
        "Content-Range": (
            "`bytes START-END/SIZE` of the part sent, for one range (a `multipart/byteranges` "
            "answer gives each part its own instead).",
            False,
        )
    },
    "304": {"ETag": ("The current entity tag, which the request named.", True)},
    "416": {"Content-Range": ("`bytes */SIZE`: the file's size.", True)},
}


def add_media_types(responses: dict[str, Any], table: Mapping[str, Sequence[str]]) -> None:
    for status, types in table.items():
        response = responses[status]
        content: dict[str, dict[str, Any]] = response.get("content", {})
        first: dict[str, Any] = next(iter(content.values()), {})
        schema = first.get("schema", {"type": "string"})
        response["content"] = {media_type: {"schema": dict(schema)} for media_type in types}


def add_headers(responses: dict[str, Any]) -> None:
    for status, headers in RESPONSE_HEADERS.items():
        response = responses.get(status)
        if response is None or "$ref" in response:
            continue
        response["headers"] = {
            name: {"description": text, "required": always, "schema": {"type": "string"}}
            for name, (text, always) in headers.items()
        }


def bodiless(responses: Mapping[str, Any], shared: Mapping[str, Any]) -> dict[str, Any]:
    """A HEAD operation's responses: GET's headers and descriptions, no ``content`` (RFC 9110
    §9.3.2), so a generated client does not try to decode a body that never comes. A
    reference to a shared response (``shared``: the document's ``components.responses``) is
    replaced by its description."""
    answers: dict[str, Any] = {}
    for status, response in responses.items():
        ref = response.get("$ref", "")
        found = shared.get(ref.rsplit("/", 1)[-1], {}) if ref else response
        answers[status] = {key: value for key, value in found.items() if key != "content"}
        answers[status].setdefault("description", "")
    return answers
