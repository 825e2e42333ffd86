"""``/issue/<id>``: detail, unknown ids, and the cover (contract §5). Downloads: ``download.py``."""

from __future__ import annotations

import io
from typing import Any, Final

from PIL import Image, UnidentifiedImageError

from bagboard.conformance.answers import (
    check_strong_etag,
    check_weak_etag,
    describe,
    expect_error,
    expect_shape,
    is_error,
)
from bagboard.conformance.client import Reply
from bagboard.conformance.deviations import COVER_SIZE_IGNORED, NON_INTEGER_ID_HTML
from bagboard.conformance.discovery import Context
from bagboard.conformance.wire import ISSUE_DETAIL
from bagboard.domain.comicinfo import TEXT_FIELDS
from bagboard.domain.errors import CoverUnavailable, NotFound
from bagboard.domain.images import MAX_COMIC_ID, requested_size

__all__ = ["COVER_SIZES", "COVER_TRIES", "check_cover", "check_detail"]

# Raw ``?size=`` values and what the long edge may then be at most (None: the default).
COVER_SIZES: Final = (None, "64", "10", "100000")
# Issues to try for a cover before concluding that none has one.
COVER_TRIES: Final = 5


def check_detail(ctx: Context) -> None:
    report, issues = ctx.report, ctx.found.issues
    if not issues:
        report.skipped("issue.detail", "the server lists no issue")
    else:
        item = issues[0]
        path = f"/issue/{item['id']}"
        with report.guard("issue.detail"):
            detail = expect_shape(ctx, "issue.detail", ctx.client.get(path), ISSUE_DETAIL)
            if detail is not None:
                _check_detail_values(ctx, item, detail)
        check_weak_etag(ctx, "issue.detail", path, {})
    reply = ctx.client.get(f"/issue/{MAX_COMIC_ID}")
    expect_error(ctx, "issue.unknown", reply, 404, NotFound.code)
    _check_not_an_integer(ctx, ctx.client.get("/issue/abc"))


def _check_not_an_integer(ctx: Context, reply: Reply) -> None:
    """A non-integer id: 404 (core); the JSON error body the document promises for every
    error is a reference deviation, since the reference answers with an HTML page."""
    ctx.report.that("issue.not-an-integer", reply.status == 404, describe(reply), "404")
    ctx.report.departs(
        NON_INTEGER_ID_HTML,
        f"issue.not-an-integer.{NON_INTEGER_ID_HTML.check}",
        is_error(reply, 404, NotFound.code),
        describe(reply),
        f"404 {{'error': {NotFound.code!r}}}",
    )


def _check_detail_values(ctx: Context, item: dict[str, Any], detail: dict[str, Any]) -> None:
    report = ctx.report
    same = {key: detail.get(key) for key in ("id", "name", "path", "size")}
    listed = {key: item.get(key) for key in same}
    report.expect("issue.detail.matches-listing", same, listed)
    metadata = detail.get("metadata")
    keys = sorted(metadata) if isinstance(metadata, dict) else metadata
    report.expect("issue.detail.metadata-keys", keys, sorted(TEXT_FIELDS))
    _check_progress_agrees(ctx, item, detail)


def _position(progress: object) -> object:
    if isinstance(progress, dict):
        return {key: progress.get(key) for key in ("page_number", "total_pages")}
    return progress


def _check_progress_agrees(ctx: Context, item: dict[str, Any], detail: dict[str, Any]) -> None:
    """The listing's enrichment, the detail's ``progress`` and ``GET /progress`` tell of the
    same saved position (§4.3, §5, §6)."""
    progress = detail.get("progress")
    listed = {"has_progress": item.get("has_progress"), "last_page": item.get("last_page")}
    saved = progress.get("page_number") if isinstance(progress, dict) else None
    ctx.report.expect(
        "issue.detail.progress-matches-listing",
        listed,
        {"has_progress": progress is not None, "last_page": saved},
    )
    reply = ctx.client.get("/progress", {"path": item.get("path", "")}).expect_status(200)
    ctx.report.expect(
        "issue.detail.progress-matches-position",
        _position(reply.json()),
        _position(progress),
    )


def check_cover(ctx: Context) -> None:
    report = ctx.report
    chosen = None
    for item in ctx.found.issues[:COVER_TRIES]:
        reply = ctx.client.get(f"/issue/{item['id']}/cover")
        if reply.status == 200:
            chosen = item["id"]
            break
        expect_error(ctx, f"issue.cover.missing.{item['id']}", reply, 404, CoverUnavailable.code)
    if chosen is None:
        report.skipped("issue.cover", "no issue with a cover among the first listed")
        return
    path = f"/issue/{chosen}/cover"
    for raw in COVER_SIZES:
        label = "default" if raw is None else raw
        with report.guard(f"issue.cover.size-{label}"):
            reply = ctx.client.get(path, {} if raw is None else {"size": raw})
            _check_jpeg(ctx, f"issue.cover.size-{label}", reply, requested_size(raw))
    with report.guard("issue.cover.size-not-an-integer"):
        _check_size_not_an_integer(ctx, ctx.client.get(path, {"size": "big"}))
    check_strong_etag(ctx, "issue.cover", path, {})


def _check_size_not_an_integer(ctx: Context, reply: Reply) -> None:
    """``?size=big``: refused with 400 as the document's ``int`` promises, or, as the reference
    does, ignored for a cover of the default size (core takes either; the refusal is held as
    a reference deviation)."""
    name = "issue.cover.size-not-an-integer"
    if reply.status == 200:
        _check_jpeg(ctx, name, reply, requested_size(None))
    else:
        expect_error(ctx, name, reply, 400, None)
    ctx.report.departs(
        COVER_SIZE_IGNORED,
        f"{name}.{COVER_SIZE_IGNORED.check}",
        is_error(reply, 400, None),
        f"{reply.status} {reply.media_type}" if reply.status == 200 else describe(reply),
        "400 with a JSON error",
    )


def _check_jpeg(ctx: Context, name: str, reply: Reply, bound: int) -> None:
    expected = f"200 image/jpeg, a JPEG with a long edge of at most {bound} px"
    if reply.status != 200 or reply.media_type != "image/jpeg":
        ctx.report.failed(name, describe(reply), expected)
        return
    try:
        with Image.open(io.BytesIO(reply.body)) as image:
            image.load()
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        ctx.report.failed(name, f"an undecodable image ({exc})", expected)
        return
    ctx.report.that(
        name,
        kind == "JPEG" and max(width, height) <= bound,
        f"{kind} {width}x{height}",
        expected,
    )
