"""Every list endpoint (contract §3, §4, §4.5, §6): envelope, arithmetic, items and paging.

For each list the kit fetches one page of the largest size, checks the envelope's keys, its
arithmetic and every item's shape, then walks the same items in pages of about a third and
checks that the walk sees each item once (core) and in the same order (extension: only a
final unique tie-break makes that certain), that a page past the end is empty, and that
``page``/``page_size`` are clamped exactly as ``PageRequest`` clamps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import msgspec

from bagboard.conformance.answers import check_weak_etag, report_deviations
from bagboard.conformance.client import BadReply
from bagboard.conformance.discovery import Context
from bagboard.conformance.envelope import arithmetic, duplicates, expected_page, walk_size
from bagboard.conformance.shapes import Shape, first_problems
from bagboard.conformance.targets import ListTarget, list_targets
from bagboard.conformance.wire import ENVELOPE, FEED_ENVELOPE
from bagboard.domain.pagination import MAX_PAGE_SIZE

__all__ = ["CLAMPS", "check_list", "check_lists"]

# Raw (page, page_size) values whose clamping each list must get right, as PageRequest does.
CLAMPS: Final = (
    ("page-size-0", 1, "0"),
    ("page-size-1000", 1, "1000"),
    ("page-size-not-an-integer", 1, "abc"),
    ("page-0", "0", 5),
    ("page-not-an-integer", "abc", 5),
)


def _identity(item: Any) -> str:
    return msgspec.json.encode(item, order="sorted").decode()


@dataclass
class _Fetch:
    """The answers to one list's requests: parsed and shape-checked on the way in."""

    ctx: Context
    target: ListTarget

    def page(self, page: object, page_size: object) -> dict[str, Any]:
        params = {**self.target.params, "page": str(page), "page_size": str(page_size)}
        reply = self.ctx.client.get(self.target.path, params).expect_status(200)
        body = reply.object()
        envelope = FEED_ENVELOPE if self.target.feed else ENVELOPE
        problems = envelope.compat_problems(body)
        if problems:
            raise BadReply("; ".join(problems), "the pagination envelope")
        return body


def check_list(ctx: Context, target: ListTarget) -> None:
    report, name = ctx.report, f"list.{target.name}"
    fetch = _Fetch(ctx, target)
    first: dict[str, Any] | None = None
    with report.guard(f"{name}.envelope"):
        first = fetch.page(1, MAX_PAGE_SIZE)
        report.passed(f"{name}.envelope")
    if first is None:
        return
    _check_first(ctx, target, first)
    if target.etag:
        check_weak_etag(ctx, name, target.path, {**target.params, "page_size": "5"})
    total = first["total"]
    if total == 0:
        report.skipped(f"{name}.walk", "the list is empty: nothing to walk")
    else:
        with report.guard(f"{name}.walk"):
            _walk(ctx, target, fetch, first)
    if target.light:
        return
    _past_end(ctx, target, fetch, total)
    for label, page, size in CLAMPS:
        with report.guard(f"{name}.{label}"):
            body = fetch.page(page, size)
            _arithmetic(ctx, f"{name}.{label}", body, page, size)


def _arithmetic(ctx: Context, name: str, body: dict[str, Any], page: object, size: object) -> bool:
    mismatch = arithmetic(body, page, size)
    if mismatch is None:
        return ctx.report.passed(name)
    return ctx.report.failed(name, mismatch.observed, mismatch.expected)


def _check_first(ctx: Context, target: ListTarget, body: dict[str, Any]) -> None:
    report, name = ctx.report, f"list.{target.name}"
    _arithmetic(ctx, f"{name}.arithmetic", body, 1, MAX_PAGE_SIZE)
    if target.marker is not None:
        key, value = target.marker
        report.expect(f"{name}.{key}", body.get(key), value)
    if target.feed:
        report.expect(f"{name}.count", body["count"], len(body["items"]))
        report.problems(
            f"{name}.envelope-additions",
            FEED_ENVELOPE.extension_problems(body),
            extension=True,
        )
    items: list[Any] = body["items"]
    shape: Shape = target.shape

    def compat(item: Any) -> list[str]:
        return shape.compat_problems(item) + (target.rules(item) if target.rules else [])

    report.problems(f"{name}.items", first_problems(items, compat))
    report_deviations(ctx, name, shape, items)
    if shape.extension_keys:
        found = first_problems(items, shape.extension_problems)
        report.problems(f"{name}.item-additions", found, extension=True)
    if target.order is not None:
        rule, describe = target.order
        wrong = [i for i in range(1, len(items)) if not rule(items[i - 1], items[i])]
        report.that(
            f"{name}.order-rule",
            not wrong,
            f"items[{wrong[0] - 1}] and items[{wrong[0]}] out of order" if wrong else "",
            describe,
            extension=target.order_is_extension,
        )


def _walk(ctx: Context, target: ListTarget, fetch: _Fetch, first: dict[str, Any]) -> None:
    report, name = ctx.report, f"list.{target.name}"
    reference = [_identity(item) for item in first["items"]]
    span = len(reference)
    size = walk_size(first["total"])
    pages = -(-span // size)
    walked: list[str] = []
    for number in range(1, pages + 1):
        body = fetch.page(number, size)
        mismatch = arithmetic(body, number, size)
        if mismatch is not None:
            report.failed(f"{name}.walk", mismatch.observed, mismatch.expected)
            return
        if body["total"] != first["total"]:
            report.failed(
                f"{name}.walk",
                f"total={body['total']} on page {number} of size {size}",
                f"total={first['total']} as on every page",
            )
            return
        walked += [_identity(item) for item in body["items"]]
    walked = walked[:span]
    twice = duplicates(walked)
    missing = sorted(set(reference) - set(walked))
    if twice or missing:
        observed = f"{len(twice)} item(s) twice, {len(missing)} missing over {pages} pages " + (
            f"of size {size}, e.g. {(twice or missing)[0]}"
        )
        report.failed(f"{name}.walk", observed, "every item exactly once")
    else:
        report.passed(f"{name}.walk")
    report.that(
        f"{name}.walk-order",
        walked == reference,
        f"the {pages} pages of size {size} in another order than one page of {MAX_PAGE_SIZE}",
        "the same order (a final unique tie-break)",
        extension=True,
    )


def _past_end(ctx: Context, target: ListTarget, fetch: _Fetch, total: int) -> None:
    name = f"list.{target.name}.past-end"
    size = walk_size(total) if total else 10
    beyond = expected_page(total, 1, size).total_pages + 1
    with ctx.report.guard(name):
        body = fetch.page(beyond, size)
        if body["total"] != total:
            ctx.report.failed(name, f"total={body['total']}", f"total={total} as on page 1")
            return
        _arithmetic(ctx, name, body, beyond, size)


def check_lists(ctx: Context) -> None:
    for target in list_targets(ctx.found):
        if isinstance(target, str):
            ctx.report.skipped(f"list.{target}", "the server lists nothing to ask this about")
            continue
        check_list(ctx, target)
