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
