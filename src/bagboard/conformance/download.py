"""``/issue/<id>/download`` and its byte ranges (contract §5), judged by the server's own
``parse_range``: what a ``Range`` header asks of a file of a given size is computed the way
bagboard computes it, and the 206 body must equal that slice of the full body."""

from __future__ import annotations

from typing import Any, Final

from bagboard.adapters.http.api.issue_json import COMIC_MEDIA_TYPES
from bagboard.adapters.http.files.ranges import ByteRange, Unsatisfiable, parse_range
from bagboard.conformance.answers import describe
from bagboard.conformance.client import Reply
from bagboard.conformance.discovery import Context

__all__ = ["IGNORED", "RANGES", "check_download"]

# Single ranges every server must honour (label → header, with {size} filled in).
RANGES: Final = {
    "prefix": "bytes=0-9",
    "from-offset": "bytes=5-",
    "suffix": "bytes=-7",
    "end-beyond-size": "bytes=3-{beyond}",
}
# Headers RFC 9110 says to ignore (a whole 200): bagboard does, the reference may not.
IGNORED: Final = {"malformed": "bytes=abc", "other-unit": "items=0-1"}


def _smallest(issues: list[dict[str, Any]]) -> dict[str, Any] | None:
    sized = [item for item in issues if isinstance(item.get("size"), int) and item["size"] > 0]
    return min(sized, key=lambda item: item["size"]) if sized else None


def check_download(ctx: Context) -> None:
    report = ctx.report
    item = _smallest(ctx.found.issues)
    if item is None:
        report.skipped("issue.download", "the server lists no issue with a size")
        return
    path = f"/issue/{item['id']}/download"
    with report.guard("issue.download.full"):
        full = ctx.client.get(path)
        if not _check_full(ctx, full, item["size"]):
            return
        body = full.body
        for label, template in RANGES.items():
            header = template.format(beyond=len(body) + 100)
            with report.guard(f"issue.download.range.{label}"):
                _check_range(ctx, f"issue.download.range.{label}", path, header, body)
        _check_unsatisfiable(ctx, path, len(body))
        head = ctx.client.head(path)
        report.that(
            "issue.download.head",
            head.status == 200 and not head.body
            and head.headers.get("content-length") == str(len(body)),
            f"{head.status}, Content-Length {head.headers.get('content-length')}, "
            f"{len(head.body)} bytes of body",
            f"200, Content-Length {len(body)}, no body",
        )  # fmt: skip
        _check_extensions(ctx, path, full)


def _check_full(ctx: Context, full: Reply, listed_size: int) -> bool:
    headers = full.headers
    observed = {
        "status": full.status,
        "bytes": len(full.body),
        "Accept-Ranges": headers.get("accept-ranges"),
        "Content-Length": headers.get("content-length"),
        "attachment": headers.get("content-disposition", "").startswith("attachment"),
    }
    expected = {
        "status": 200,
        "bytes": listed_size,
        "Accept-Ranges": "bytes",
        "Content-Length": str(listed_size),
        "attachment": True,
    }
    return ctx.report.expect("issue.download.full", observed, expected)


def _check_range(ctx: Context, name: str, path: str, header: str, body: bytes) -> None:
    wanted = parse_range(header, len(body))
    if not isinstance(wanted, tuple) or len(wanted) != 1:  # a kit bug: samples are satisfiable
        raise AssertionError(f"not a single satisfiable range: {header}")
    span: ByteRange = wanted[0]
    reply = ctx.client.get(path, headers={"Range": header})
    observed = {
        "status": reply.status,
        "Content-Range": reply.headers.get("content-range"),
        "body": "the matching slice"
        if reply.body == body[span.start : span.end + 1]
        else f"{len(reply.body)} other bytes",
    }
    expected = {
        "status": 206,
        "Content-Range": span.content_range(len(body)),
        "body": "the matching slice",
    }
    expected["Range"] = observed["Range"] = header
    ctx.report.expect(name, observed, expected)


def _check_unsatisfiable(ctx: Context, path: str, size: int) -> None:
    header = f"bytes={size}-"
    if not isinstance(parse_range(header, size), Unsatisfiable):
        raise AssertionError(f"a satisfiable range: {header}")
    reply = ctx.client.get(path, headers={"Range": header})
    observed = {"status": reply.status, "Content-Range": reply.headers.get("content-range")}
    expected = {"status": 416, "Content-Range": f"bytes */{size}"}
    ctx.report.expect("issue.download.unsatisfiable", observed, expected)


def _check_extensions(ctx: Context, path: str, full: Reply) -> None:
    report, size = ctx.report, len(full.body)
    report.that(
        "issue.download.media-type",
        full.media_type in COMIC_MEDIA_TYPES.values(),
        full.media_type,
        f"a comic media type: {', '.join(sorted(COMIC_MEDIA_TYPES.values()))}",
        extension=True,
    )
    for label, header in IGNORED.items():
        if parse_range(header, size) is not None:
            raise AssertionError(f"a range bagboard honours: {header}")
        reply = ctx.client.get(path, headers={"Range": header})
        report.that(
            f"issue.download.ignored.{label}",
            reply.status == 200 and reply.body == full.body,
            f"{reply.status} with {len(reply.body)} bytes for Range: {header}",
            f"200 with the whole file ({size} bytes)",
            extension=True,
        )
    if size >= 4:
        reply = ctx.client.get(path, headers={"Range": "bytes=0-0,2-3"})
        report.that(
            "issue.download.multiple-ranges",
            reply.status == 206 and reply.media_type == "multipart/byteranges",
            describe(reply)[:80],
            "206 multipart/byteranges",
            extension=True,
        )
    partial = ctx.client.get(path, headers={"Range": "bytes=0-0"})
    validators = {
        f"{label} {name}": bool(reply.headers.get(name))
        for label, reply in (("200", full), ("206", partial))
        for name in ("etag", "last-modified")
    }
    report.expect(
        "issue.download.validators",
        validators,
        dict.fromkeys(validators, True),
        extension=True,
    )
    tag = full.headers.get("etag")
    if tag:
        again = ctx.client.get(path, headers={"If-None-Match": tag})
        report.that(
            "issue.download.etag",
            again.status == 304 and not again.body,
            f"{again.status} with {len(again.body)} bytes",
            "304 with no body",
            extension=True,
        )
