"""Checks that every group needs: an error with its code, a JSON object of a shape, and
revalidation with an ETag.

Lists and issue detail carry a weak tag (the hash of the JSON sent), covers a strong one with
``Cache-Control``; sending the tag back in ``If-None-Match`` must answer 304 with no body (§1,
§5, better: the reference server sends no validators, so these are extensions).
"""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec

from bagboard.conformance.client import Params, Reply
from bagboard.conformance.discovery import Context
from bagboard.conformance.shapes import Shape
from bagboard.conformance.wire import ERROR

__all__ = ["check_strong_etag", "check_weak_etag", "describe", "expect_error", "expect_shape"]


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


def check_weak_etag(ctx: Context, name: str, path: str, params: Params) -> None:
    """``name.etag``: a weak tag on a 200, and a 304 when it is sent back."""
    _check_etag(ctx, f"{name}.etag", path, params, weak=True)


def check_strong_etag(ctx: Context, name: str, path: str, params: Params) -> None:
    """``name.etag``: a strong tag and ``Cache-Control`` on a 200, and a 304 for the tag."""
    _check_etag(ctx, f"{name}.etag", path, params, weak=False)


def _check_etag(ctx: Context, name: str, path: str, params: Params, *, weak: bool) -> None:
    report = ctx.report
    with report.guard(name, extension=True):
        first = ctx.client.get(path, params).expect_status(200)
        tag = first.headers.get("etag")
        kind = "a weak ETag (W/...)" if weak else "a strong ETag"
        if tag is None or tag.startswith("W/") is not weak:
            report.failed(name, f"ETag {tag!r}", kind, extension=True)
            return
        if not weak and "cache-control" not in first.headers:
            report.failed(name, "no Cache-Control", "Cache-Control beside the ETag", extension=True)
            return
        again = ctx.client.get(path, params, headers={"If-None-Match": tag})
        report.that(
            name,
            again.status == 304 and not again.body,
            f"{again.status} with {len(again.body)} bytes for If-None-Match: {tag}",
            "304 with an empty body",
            extension=True,
        )
