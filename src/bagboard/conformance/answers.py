"""Checks of one answer that every group needs: an error with its code, a JSON object shape."""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec

from bagboard.conformance.client import Reply
from bagboard.conformance.discovery import Context
from bagboard.conformance.shapes import Shape
from bagboard.conformance.wire import ERROR


def describe(reply: Reply) -> str:
    """An answer as a failure line shows it: status, media type and the start of the body."""
    body = reply.body[:160].decode("utf-8", "replace")
    return f"{reply.status} {reply.media_type or '(no content type)'} {body}".rstrip()


def expect_error(
    ctx: Context,
    name: str,
    reply: Reply,
    status: int,
    code: str | None,
    *,
    extension: bool = False,
) -> bool:
    """``status`` with a JSON ``{"error", "message"}`` body whose ``error`` is ``code`` (any
    code when None). One PASS or one FAIL."""
    expected = f"{status} {{'error': {code!r}, 'message': ...}}" if code else f"{status} error"
    data: Any = None
    with contextlib.suppress(msgspec.DecodeError):
        data = msgspec.json.decode(reply.body)
    ok = (
        reply.status == status
        and not ERROR.compat_problems(data)
        and (code is None or data.get("error") == code)
    )
    return ctx.report.that(name, ok, describe(reply), expected, extension=extension)


def expect_shape(
    ctx: Context, name: str, reply: Reply, shape: Shape, *, status: int = 200
) -> dict[str, Any] | None:
    """``status`` and a JSON object of ``shape`` (compat keys); the object, or None after a
    FAIL. The extension keys are checked as ``name-additions`` when the shape has any."""
    if reply.status != status:
        ctx.report.failed(name, describe(reply), f"{status} with a {shape.label}")
        return None
    data = reply.object()
    if not ctx.report.problems(name, shape.compat_problems(data)):
        return None
    if shape.extension_keys:
        found = shape.extension_problems(data)
        ctx.report.problems(f"{name}-additions", found, extension=True)
    return data
