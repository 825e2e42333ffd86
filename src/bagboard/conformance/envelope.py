"""The pagination envelope's arithmetic (contract §3), expected through the server's own types.

What a page ought to say is computed with ``PageRequest`` (which clamps ``page`` and
``page_size`` exactly as the server does) and ``Page`` (``total_pages``, ``has_more``), from the
raw query values sent and the ``total`` the server reported. Whether ``total`` itself is right
is what a walk over the pages finds out (``lists.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bagboard.domain.pagination import Page, PageRequest

__all__ = ["Mismatch", "arithmetic", "duplicates", "expected_page", "items_on", "walk_size"]


def expected_page(total: int, page: object = None, page_size: object = None) -> Page[Any]:
    """The envelope a server owes for ``?page=&page_size=`` (raw values) over ``total`` items."""
    return Page(items=(), total=total, request=PageRequest.from_raw(page, page_size))


def items_on(page: Page[Any]) -> int:
    """How many items that page holds: a full page, the remainder, or none past the end."""
    return max(0, min(page.page_size, page.total - page.request.offset))


@dataclass(frozen=True, slots=True)
class Mismatch:
    observed: str
    expected: str


def arithmetic(
    body: Mapping[str, Any], page: object = None, page_size: object = None
) -> Mismatch | None:
    """Compare an envelope with what ``page``/``page_size`` (as sent) and its ``total`` imply;
    ``body`` must already have the envelope's keys and types."""
    want = expected_page(body["total"], page, page_size)
    expected = {
        "page": want.page,
        "page_size": want.page_size,
        "total_pages": want.total_pages,
        "has_more": want.has_more,
        "len(items)": items_on(want),
    }
    observed = {key: body[key] for key in expected if key in body}
    observed["len(items)"] = len(body["items"])
    wrong = [key for key, value in expected.items() if observed.get(key) != value]
    if not wrong:
        return None
    context = f" (total={body['total']}, page={page!r}, page_size={page_size!r} sent)"
    return Mismatch(
        observed=_pairs(observed, wrong),
        expected=_pairs(expected, wrong) + context,
    )


def _pairs(values: Mapping[str, Any], keys: Sequence[str]) -> str:
    return ", ".join(f"{key}={_json(values.get(key))}" for key in keys)


def _json(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def walk_size(total: int) -> int:
    """A page size that spreads ``min(total, 200)`` items over about three pages, so a walk
    crosses page boundaries without many requests."""
    span = min(total, 200)
    return max(1, -(-span // 3))


def duplicates(keys: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for key in keys:
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    return twice
