"""Reading positions and read marks (contract §6).

Read-only runs check only answers to GETs. With ``--allow-writes`` the kit writes a position
and a read mark for a throwaway path (a random file name under a library root, naming no
comic), reads them back, and removes both afterwards whatever happened in between.
"""

from __future__ import annotations

import posixpath
import secrets
import time
from datetime import UTC, datetime
from typing import Any, Final

from bagboard.adapters.http.api.browse_json import (
    MISSING_PATH,
    MISSING_PATH_PARAMETER,
    STAMP_FORMAT,
)
from bagboard.adapters.http.api.progress_json import BAD_TS, MISSING_PATH_OR_PAGE, not_an_integer
from bagboard.conformance.answers import describe, expect_error, expect_shape
from bagboard.conformance.client import BadReply
from bagboard.conformance.discovery import Context
from bagboard.conformance.shapes import first_problems
from bagboard.conformance.wire import FEED_ITEM, OK, PROGRESS
from bagboard.domain.errors import NotFound
from bagboard.domain.pagination import MAX_PAGE_SIZE
from bagboard.domain.progress import StaleProgress

__all__ = ["FEED_PAGES", "POSITION", "check_progress_reads", "check_writes", "throwaway_path"]

# Pages of the feed to search for the position just written before giving up.
FEED_PAGES: Final = 5
POSITION: Final = {"page_number": 3, "total_pages": 12, "time_spent": 7}


def throwaway_path(root: str) -> str:
    """A random comic path under ``root``; its space, ``%`` and ``+`` must round-trip through
    a query string decoded exactly once (§6)."""
    return posixpath.join(root, f"bagboard-conformance-{secrets.token_hex(8)} 100%+.cbz")


def check_progress_reads(ctx: Context) -> None:
    client = ctx.client
    reply = client.get("/progress")
    expect_error(ctx, "progress.get.missing-path", reply, 400, MISSING_PATH_PARAMETER)
    reply = client.get("/progress/since", {"ts": "yesterday"})
    expect_error(ctx, "progress.since.bad-ts", reply, 400, BAD_TS)
    root = ctx.found.library_root or "/"
    with ctx.report.guard("progress.get.unknown-path"):
        reply = client.get("/progress", {"path": throwaway_path(root)})
        ctx.report.that(
            "progress.get.unknown-path",
            reply.status == 200 and reply.body.strip() == b"null",
            describe(reply),
            "200 with the JSON literal null",
        )


def check_writes(ctx: Context) -> None:
    report = ctx.report
    if not ctx.allow_writes:
        report.skipped("writes", "a read-only run; --allow-writes checks progress and read marks")
        return
    root = ctx.found.library_root
    if root is None:
        report.skipped("writes", "no library root known to put a throwaway path under")
        return
    path = throwaway_path(root)
    try:
        with report.guard("progress.put"):
            _round_trip(ctx, path)
        with report.guard("progress.stale", extension=True):
            _stale(ctx, path)
        with report.guard("read.mark"):
            _mark(ctx, path)
        _shelves_outside(ctx, posixpath.dirname(root.rstrip("/")) or "/")
    finally:
        _clean_up(ctx, path)


def _round_trip(ctx: Context, path: str) -> None:
    client, report = ctx.client, ctx.report
    reply = client.request("PUT", "/progress", json={})
    expect_error(ctx, "progress.put.missing-fields", reply, 400, MISSING_PATH_OR_PAGE)
    for field in ("page_number", "total_pages"):
        body = {"path": path, **POSITION, field: "three"}
        reply = client.request("PUT", "/progress", json=body)
        expect_error(ctx, f"progress.put.{field}-not-an-integer", reply, 400, not_an_integer(field))

    put = client.request("PUT", "/progress", json={"path": path, **POSITION})
    saved = expect_shape(ctx, "progress.put", put, PROGRESS)
    if saved is None:
        return
    wanted = {key: POSITION[key] for key in ("page_number", "total_pages")}
    report.expect("progress.put.values", _values(saved), wanted)
    got = expect_shape(ctx, "progress.get", client.get("/progress", {"path": path}), PROGRESS)
    if got is not None:
        report.expect("progress.get.values", _values(got), wanted)
    ts = _unix(saved["updated_at"])
    mine, early = _feed_items(ctx, path, ts)
    report.that(
        "progress.since.at-or-after",
        not early,
        f"updated_at_unix {early[:3]} in the feed since ts={ts}",
        "only changes at or after ts (inclusive)",
    )
    ok = any(item.get("page_number") == POSITION["page_number"] for item in mine)
    report.that(
        "progress.since.contains",
        ok,
        f"{len(mine)} item(s) for the path since ts={ts}",
        f"an item with comic_path {path!r} and page_number {POSITION['page_number']}",
    )
    report.problems("progress.since.items", first_problems(mine, FEED_ITEM.compat_problems))
    _better_writes(ctx, path)


def _better_writes(ctx: Context, path: str) -> None:
    """A field left out keeps its stored value; a negative number is refused (§6, better)."""
    client, report = ctx.client, ctx.report
    negative = client.request("PUT", "/progress", json={"path": path, "page_number": -1})
    expect_error(ctx, "progress.put.negative", negative, 400, None, extension=True)
    partial = client.request("PUT", "/progress", json={"path": path, "page_number": 4})
    kept = partial.object().get("total_pages") if partial.status == 200 else partial.status
    report.expect("progress.put.keeps-omitted", kept, POSITION["total_pages"], extension=True)


def _unix(stamp: str) -> int:
    try:
        return int(datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC).timestamp())
    except ValueError:
        raise BadReply(f"updated_at {stamp!r}", "updated_at as YYYY-MM-DD HH:MM:SS") from None


def _values(body: dict[str, Any]) -> dict[str, Any]:
    return {"page_number": body.get("page_number"), "total_pages": body.get("total_pages")}


def _feed_items(ctx: Context, path: str, ts: int) -> tuple[list[dict[str, Any]], list[Any]]:
    """The feed's items for ``path`` since ``ts``, and the times of any item before ``ts``."""
    found: list[dict[str, Any]] = []
    early: list[Any] = []
    for page in range(1, FEED_PAGES + 1):
        params = {"ts": ts, "page": page, "page_size": MAX_PAGE_SIZE}
        body = ctx.client.get("/progress/since", params).expect_status(200).object()
        raw = body.get("items")
        items = [i for i in raw if isinstance(i, dict)] if isinstance(raw, list) else []
        found += [item for item in items if item.get("comic_path") == path]
        times = [item.get("updated_at_unix") for item in items]
        early += [t for t in times if isinstance(t, int) and t < ts]
        if not body.get("has_more"):
            break
    return found, early


def _stale(ctx: Context, path: str) -> None:
    """A write timed before the stored one is refused with the stored position (better).
    The times are ahead of this kit's clock (newer than anything written so far) by less than
    the five minutes after which a server takes a device clock for wrong (contract §6)."""
    client, later = ctx.client, int(time.time()) + 120
    newer = {"path": path, "page_number": 4, "updated_at": later}
    client.request("PUT", "/progress", json=newer).expect_status(200)
    older = {"path": path, "page_number": 5, "updated_at": later - 60}
    reply = client.request("PUT", "/progress", json=older)
    if expect_error(ctx, "progress.stale", reply, 409, StaleProgress.code, extension=True):
        current = reply.object().get("current")
        page = current.get("page_number") if isinstance(current, dict) else current
        ctx.report.expect("progress.stale.current", page, 4, extension=True)


def _mark(ctx: Context, path: str) -> None:
    client = ctx.client
    reply = client.request("POST", "/issues/read", json={})
    expect_error(ctx, "read.mark.missing-path", reply, 400, MISSING_PATH)
    body = {"path": path, "page_count": 12, "time_spent": 30}
    marked = expect_shape(ctx, "read.mark", client.request("POST", "/issues/read", json=body), OK)
    if marked is not None:
        ctx.report.expect("read.mark.ok", marked.get("ok"), True)


def _shelves_outside(ctx: Context, parent: str) -> None:
    """A shelf write for a folder outside the libraries changes nothing: 404 (§4.5, better)."""
    outside = posixpath.join(parent, f"bagboard-conformance-{secrets.token_hex(8)}")
    for name, method, route in (
        ("shelves.favorite-outside", "PUT", "/library/favorites"),
        ("shelves.to-read-outside", "POST", "/library/to-read"),
    ):
        reply = ctx.client.request(method, route, json={"path": outside})
        expect_error(ctx, name, reply, 404, NotFound.code, extension=True)


def _clean_up(ctx: Context, path: str) -> None:
    """Unmark and forget the throwaway path (better: the reference has no DELETE for them)."""
    client, report = ctx.client, ctx.report
    for name, route in (("cleanup.unmark", "/issues/read"), ("cleanup.progress", "/progress")):
        reply = client.request("DELETE", route, params={"path": path})
        report.that(name, reply.status == 200, describe(reply), "200", extension=True)
    gone = client.get("/progress", {"path": path})
    report.that(
        "cleanup.progress-gone",
        gone.status == 200 and gone.body.strip() == b"null",
        describe(gone),
        "200 null",
        extension=True,
    )
