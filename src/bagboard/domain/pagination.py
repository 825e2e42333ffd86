"""The pagination envelope shared by every list endpoint (contract §3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["DEFAULT_PAGE_SIZE", "FIRST_PAGE", "MAX_PAGE", "MAX_PAGE_SIZE", "Page", "PageRequest"]

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Pages beyond this cannot hold anything in a library of any real size; capping keeps
# OFFSET arithmetic far from integer overflow in every database.
MAX_PAGE = 10_000_000

T = TypeVar("T")


def _to_int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if text[:1] in "+-":
            sign, digits = text[:1], text[1:]
        else:
            sign, digits = "", text
        if digits.isascii() and digits.isdigit() and len(digits) <= 30:
            return int(sign + digits)
    return None


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A 1-based page request that clamps itself into the contract's bounds."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        object.__setattr__(self, "page", min(max(self.page, 1), MAX_PAGE))
        object.__setattr__(self, "page_size", min(max(self.page_size, 1), MAX_PAGE_SIZE))

    @classmethod
    def from_raw(cls, page: object = None, page_size: object = None) -> PageRequest:
        """Build from untrusted query values: a missing or non-integer value takes its default."""
        p = _to_int(page)
        size = _to_int(page_size)
        return cls(
            page=1 if p is None else p, page_size=DEFAULT_PAGE_SIZE if size is None else size
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size


# What a caller that names no page gets: the first, of the default size.
FIRST_PAGE = PageRequest()


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results plus the envelope arithmetic."""

    items: Sequence[T]
    total: int
    request: PageRequest

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def page_size(self) -> int:
        return self.request.page_size

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.page_size) if self.total > 0 else 0

    @property
    def has_more(self) -> bool:
        return self.page < self.total_pages
