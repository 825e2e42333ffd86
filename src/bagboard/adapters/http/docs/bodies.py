"""Request bodies and example values that Litestar's generated document cannot say itself.

- A body that is a file, not JSON (a CBL reading list): the handler reads it raw and declares
  it with ``opt=file_body(...)``; ``add_file_body`` documents it under its media type, as an
  opaque string with the example the documentation shows.
- A null inside an example: Litestar leaves out every None when it writes an example, but a
  null is part of the answer (``"last_page": null``); ``mark_nulls`` carries it through as a
  marker and ``unmark_nulls`` puts the null back in the finished document.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["FILE_BODY_OPT_KEY", "add_file_body", "file_body", "mark_nulls", "unmark_nulls"]

FILE_BODY_OPT_KEY: Final = "file_body"
_NULL: Final = "\x00null"


def file_body(media_type: str, example: str) -> dict[str, Any]:
    """``opt=`` for a handler that takes a file as its body: its media type, and the example
    the documentation shows (and sends)."""
    return {FILE_BODY_OPT_KEY: (media_type, example)}


def add_file_body(operation: dict[str, Any], body: tuple[str, str] | None) -> None:
    if body is None:
        return
    media_type, example = body
    # ``binary``: the bytes are the body as they are, never wrapped or re-encoded.
    media = {
        "schema": {"type": "string", "format": "binary"},
        "examples": {"example": {"summary": "Example", "value": example}},
    }
    operation["requestBody"] = {"required": True, "content": {media_type: media}}


def mark_nulls(value: Any) -> Any:
    if value is None:
        return _NULL
    if isinstance(value, dict):
        return {key: mark_nulls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mark_nulls(item) for item in value]
    return value


def unmark_nulls(value: Any) -> Any:
    if value == _NULL:
        return None
    if isinstance(value, dict):
        return {key: unmark_nulls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unmark_nulls(item) for item in value]
    return value
