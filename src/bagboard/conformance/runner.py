"""One conformance run: discover, run every group of checks, print the summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Final

import httpx

from bagboard.conformance.answers import check_error_messages
from bagboard.conformance.browse import (
    check_modes,
    check_resolution,
    check_search,
    check_traversal,
)
from bagboard.conformance.client import ApiClient, Unreachable
from bagboard.conformance.discovery import Context, discover
from bagboard.conformance.download import check_download
from bagboard.conformance.entry import check_base_url, check_token
from bagboard.conformance.gate import check_gate
from bagboard.conformance.issue import check_cover, check_detail
from bagboard.conformance.lists import check_lists
from bagboard.conformance.progress import check_progress_reads, check_writes
from bagboard.conformance.report import Report

__all__ = ["GROUPS", "Group", "run"]

Group = Callable[[Context], None]

GROUPS: Final[tuple[Group, ...]] = (
    check_gate,
    check_lists,
    check_modes,
    check_resolution,
    check_search,
    check_traversal,
    check_detail,
    check_cover,
    check_download,
    check_progress_reads,
    check_writes,
    check_error_messages,
)


def run(
    base_url: str,
    token: str,
    *,
    allow_writes: bool = False,
    strict: bool = False,
    out: Callable[[str], None] = print,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
    as_json: bool = False,
) -> int:
    """Check the server at ``base_url``; print a line per check and a summary through
    ``out`` (or, ``as_json``, one JSON document at the end); return the exit status (1 when
    a counted check failed: a core one, or with ``strict`` an extension). A base URL ending
    in ``/api/v1``, or a token the server refuses, raises ``InvalidInput`` before any check."""
    check_base_url(base_url)
    report = Report() if as_json else Report(out)
    client = ApiClient(base_url, token.strip(), allow_writes, timeout, transport)
    with client:
        try:
            check_token(client)
            found = discover(client)
            context = Context(client, report, found, allow_writes)
            for group in GROUPS:
                # A malformed answer outside a finer guard costs that group, not the run.
                with report.guard(group.__name__.removeprefix("check_")):
                    group(context)
        except Unreachable as exc:
            report.failed("server.reachable", str(exc), f"an answer from {base_url}")
    if as_json:
        out(json.dumps(report.as_json(strict=strict), indent=2, ensure_ascii=False))
    else:
        for line in report.summary(strict=strict):
            out(line)
    return report.exit_status(strict=strict)
