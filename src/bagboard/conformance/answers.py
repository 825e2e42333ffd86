"""Checks that every group needs: an error with its code, a JSON object of a shape, and
revalidation with an ETag.

An error body is ``{"error": <code or sentence>}`` (core); the ``message`` bagboard adds is
better, so it is checked once for every error the run saw (``errors.message``) rather than in
each check of an error.

Lists and issue detail carry a weak tag (the hash of the JSON sent), covers a strong one with
``Cache-Control``; sending the tag back in ``If-None-Match`` must answer 304 with no body (§1,
§5, better: the reference server sends no validators, so these are extensions).
"""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec

from bagboard.conformance.client import Params, Reply
from bagboard.conformance.deviations import Deviation
from bagboard.conformance.discovery import Context
from bagboard.conformance.shapes import Shape, first_problems
from bagboard.conformance.wire import ERROR

__all__ = [
    "check_error_messages",
    "check_strong_etag",
    "check_weak_etag",
    "describe",
    "expect_error",
    "expect_shape",
    "is_error",
    "report_deviations",
]


def describe(reply: Reply) -> str:
    """An answer as a failure line shows it: status, media type and the start of the body, on
    one line (an HTML error page has many)."""
    body = " ".join(reply.body[:160].decode("utf-8", "replace").split())
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
    """``status`` with a JSON ``{"error"}`` body whose ``error`` is ``code`` (any code when
    None); a ``message`` may come with it. One PASS or one FAIL."""
    expected = f"{status} {{'error': {code!r}}}" if code else f"{status} error"
    data = _decoded(reply)
    ok = is_error(reply, status, code, data)
    if ok and ERROR.extension_problems(data):
        ctx.without_message.append(name)
    return ctx.report.that(name, ok, describe(reply), expected, extension=extension)


def _decoded(reply: Reply) -> Any:
    with contextlib.suppress(msgspec.DecodeError):
        return msgspec.json.decode(reply.body)
    return None


def is_error(reply: Reply, status: int, code: str | None, data: Any = None) -> bool:
    """Whether ``reply`` is ``status`` with a JSON error body of ``code`` (any when None)."""
    data = _decoded(reply) if data is None else data
    return (
        reply.status == status
        and not ERROR.compat_problems(data)
        and (code is None or data.get("error") == code)
    )


def check_error_messages(ctx: Context) -> None:
    """``errors.message`` [extension]: every error body the run saw carried a ``message``."""
    missing = ctx.without_message
    ctx.report.that(
        "errors.message",
        not missing,
        f"no message in the error bodies of {len(missing)} check(s): {', '.join(missing)}",
        "a human message beside every error code",
        extension=True,
    )


def report_deviations(
    ctx: Context, name: str, shape: Shape, items: list[Any], *, listed: bool = True
) -> None:
    """One reference-deviation check per lenient key of ``shape``: ``items`` (the items of a
    list, or ``listed=False`` a single object) hold that key with the type the reference
    document shows."""
    for _, deviation in shape.lenient.values():

        def departures(item: Any, wanted: Deviation = deviation) -> list[str]:
            return shape.deviation_problems(item).get(wanted, [])

        if listed:
            found = first_problems(items, departures)
        else:
            found = [problem for item in items for problem in departures(item)]
        ctx.report.departs(
            deviation, f"{name}.{deviation.check}", not found, "; ".join(found), deviation.document
        )


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
    report_deviations(ctx, name, shape, [data], listed=False)
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
