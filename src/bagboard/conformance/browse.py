"""Browse modes, required parameters and path resolution (contract §4, §4.2 to §4.4).

The traversal samples are refused by the server's own rule (``check_path_part``) before the
kit sends them, so the kit cannot demand a refusal the server's rule would not make.
"""

from __future__ import annotations

import posixpath
import secrets
from typing import Any

from bagboard.conformance.answers import describe, expect_error
from bagboard.conformance.client import Reply
from bagboard.conformance.discovery import FS, META, Context
from bagboard.domain.browse import check_path_part
from bagboard.domain.errors import InvalidMode, InvalidPath
from bagboard.domain.pagination import MAX_PAGE_SIZE
from bagboard.services.browse import (
    MISSING_PUBLISHER,
    MISSING_PUBLISHER_OR_SERIES,
    MISSING_SERIES,
)

__all__ = [
    "check_modes",
    "check_resolution",
    "check_search",
    "check_traversal",
    "traversal_samples",
]


def _empty_list(ctx: Context, name: str, reply: Reply) -> None:
    ok = False
    if reply.status == 200:
        body = reply.object()
        ok = body.get("total") == 0 and body.get("items") == []
    ctx.report.that(name, ok, describe(reply), "200 with total 0 and no items")


def check_modes(ctx: Context) -> None:
    client, report, found = ctx.client, ctx.report, ctx.found
    queries: dict[str, tuple[str, dict[str, str]]] = {
        "publishers": ("/library/publishers", {}),
        "series": ("/library/series", {"publisher": "x"}),
        "issues": ("/library/issues", {"publisher": "x", "series": "x"}),
    }
    for label, (path, params) in queries.items():
        reply = client.get(path, {**params, "mode": "bogus"})
        expect_error(ctx, f"browse.invalid-mode.{label}", reply, 400, InvalidMode.code)
    with report.guard("browse.mode-case-insensitive"):
        mixed = client.get("/library/publishers", {"mode": "FileSystem"}).expect_status(200)
        report.expect("browse.mode-case-insensitive", mixed.object().get("mode"), FS)
    if found.browse_mode is None:
        report.skipped("browse.mode-saved", "the ping reported no saved browse_mode")
    else:
        for label, params in (("missing", {}), ("empty", {"mode": ""})):
            with report.guard(f"browse.mode-saved.{label}"):
                reply = client.get("/library/publishers", params).expect_status(200)
                mode = reply.object().get("mode")
                report.expect(f"browse.mode-saved.{label}", mode, found.browse_mode)

    reply = client.get("/library/series", {"mode": FS})
    expect_error(ctx, "browse.missing-publisher", reply, 400, MISSING_PUBLISHER)
    reply = client.get("/library/issues", {"mode": FS, "publisher": "x"})
    expect_error(ctx, "browse.missing-series.filesystem", reply, 400, MISSING_PUBLISHER_OR_SERIES)
    reply = client.get("/library/issues", {"mode": META})
    expect_error(ctx, "browse.missing-series.metadata", reply, 400, MISSING_SERIES)


def check_resolution(ctx: Context) -> None:
    client, report, found = ctx.client, ctx.report, ctx.found
    nowhere = f"bagboard-conformance-{secrets.token_hex(6)}"
    with report.guard("browse.unknown-publisher"):
        reply = client.get("/library/series", {"mode": FS, "publisher": nowhere})
        _empty_list(ctx, "browse.unknown-publisher", reply)
    publisher = found.fs_publisher
    if publisher is None:
        report.skipped("browse.publisher-by-path", "the server lists no filesystem publisher")
        return
    with report.guard("browse.unknown-series"):
        params = {"mode": FS, "publisher": publisher["value"], "series": nowhere}
        _empty_list(ctx, "browse.unknown-series", client.get("/library/issues", params))
    with report.guard("browse.publisher-by-path"):
        by_name = client.get("/library/series", {"mode": FS, "publisher": publisher["value"]})
        by_path = client.get("/library/series", {"mode": FS, "publisher": publisher["path"]})
        totals = [_total(by_name.expect_status(200)), _total(by_path.expect_status(200))]
        report.expect("browse.publisher-by-path", totals[1], totals[0])
    issue_params = found.fs_issue_params()
    if issue_params is not None and "volume" in issue_params:
        without = {key: value for key, value in issue_params.items() if key != "volume"}
        with report.guard("browse.multi-volume-without-volume"):
            reply = client.get("/library/issues", without)
            _empty_list(ctx, "browse.multi-volume-without-volume", reply)


def check_search(ctx: Context) -> None:
    """``q`` finds a series by a case-swapped piece of its name (§4.2, metadata mode)."""
    series = ctx.found.meta_series
    if series is None:
        ctx.report.skipped("browse.search", "the server lists no metadata series")
        return
    needle = (series[1:4] if len(series) >= 4 else series).swapcase()
    with ctx.report.guard("browse.search"):
        params = {"mode": META, "q": needle, "page_size": str(MAX_PAGE_SIZE)}
        body = ctx.client.get("/library/series", params).expect_status(200).object()
        items = body.get("items")
        listed = items if isinstance(items, list) else []
        values = [item.get("value") for item in listed if isinstance(item, dict)]
        ctx.report.that(
            "browse.search",
            series in values,
            f"{values[:5]} for q={needle!r}",
            f"{series!r} among the series found",
        )


def _total(reply: Reply) -> Any:
    return reply.object().get("total")


def traversal_samples(ctx: Context) -> dict[str, tuple[str, dict[str, str]]]:
    """name → (list path, query) whose path parameter climbs out, or leaves the libraries."""
    found = ctx.found
    samples: dict[str, tuple[str, dict[str, str]]] = {
        "publisher-dotdot": ("/library/series", {"publisher": ".."}),
        "publisher-inner-dotdot": ("/library/series", {"publisher": "a/../../b"}),
        "publisher-backslash": ("/library/series", {"publisher": "..\\etc"}),
    }
    publisher, root = found.fs_publisher, found.library_root
    if publisher is not None and root is not None:
        samples["publisher-absolute-dotdot"] = (
            "/library/series",
            {"publisher": posixpath.join(publisher["path"], "..", "..")},
        )
        samples["series-dotdot"] = (
            "/library/issues",
            {"publisher": publisher["value"], "series": ".."},
        )
        samples["volume-dotdot"] = (
            "/library/issues",
            {"publisher": publisher["value"], "series": "x", "volume": "../x"},
        )
    for _, params in samples.values():
        params["mode"] = FS
    return samples


def check_traversal(ctx: Context) -> None:
    report, root = ctx.report, ctx.found.library_root
    leaked: list[str] = []
    for label, (path, params) in traversal_samples(ctx).items():
        climbing = [value for key, value in params.items() if key != "mode"][-1]
        if not _refused_by_rule(climbing):  # a kit bug: the sample must climb
            raise AssertionError(f"not a traversal sample: {climbing!r}")
        reply = ctx.client.get(path, params)
        expect_error(ctx, f"path.traversal.{label}", reply, 400, InvalidPath.code)
        if root is not None and root.encode() in reply.body:
            leaked.append(label)
    if root is not None:
        outside = posixpath.dirname(root.rstrip("/")) or "/"
        reply = ctx.client.get("/library/series", {"mode": FS, "publisher": outside})
        expect_error(ctx, "path.outside-libraries", reply, 400, InvalidPath.code)
        if root.encode() in reply.body:
            leaked.append("outside-libraries")
        report.that(
            "path.no-echo",
            not leaked,
            f"the library root in the answers to {', '.join(leaked)}",
            "errors that never echo server directories",
            extension=True,
        )
    else:
        report.skipped("path.outside-libraries", "no library root known")


def _refused_by_rule(raw: str) -> bool:
    try:
        check_path_part(raw)
    except InvalidPath:
        return True
    return False
