"""Validators and revalidation (contract §1, §5, better): ETags that answer 304.

Lists and issue detail carry a weak tag (the hash of the JSON sent), covers a strong one
with ``Cache-Control``; sending the tag back in ``If-None-Match`` must answer 304 with no body.
These are all extensions: the reference server sends no validators.
"""

from __future__ import annotations

from bagboard.conformance.client import Params
from bagboard.conformance.discovery import Context


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
