"""Spring's paging and sorting parameters as Komga clients send them, and its ``Page``.

``page`` counts from 0 (negative → 0); ``size`` defaults to 20, and below 1 is 20 too
(Spring's rule: Komelia sends ``size=0`` for a count); ``unpaged=true`` asks for everything.
``sort=key[,asc|desc]`` repeats. Multi-valued filters arrive repeated or comma-joined.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bagboard.adapters.http.komga.wire import PageableDto, SortDto, SpringPage

__all__ = [
    "DEFAULT_SIZE",
    "MAX_SIZE",
    "Paging",
    "SortKey",
    "first_value",
    "flag",
    "spring_page",
    "values",
]

DEFAULT_SIZE = 20
MAX_SIZE = 2000

T = TypeVar("T")

Query = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class SortKey:
    key: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Paging:
    """Which slice of a list: ``page`` from 0, ``size`` items; ``unpaged`` means all."""

    page: int = 0
    size: int = DEFAULT_SIZE
    unpaged: bool = False
    sorts: tuple[SortKey, ...] = ()

    @classmethod
    def parse(cls, query: Query) -> Paging:
        return cls(
            page=max(_int(first_value(query, "page"), 0), 0),
            size=_size(first_value(query, "size")),
            unpaged=flag(query, "unpaged"),
            sorts=tuple(_sort(raw) for raw in query.get("sort", ()) if _sort(raw).key),
        )

    def window(self, total: int) -> tuple[int, int]:
        """``(offset, limit)`` of this slice in a list of ``total`` items."""
        if self.unpaged:
            return 0, total
        return self.page * self.size, self.size

    def slice(self, items: Sequence[T]) -> list[T]:
        offset, limit = self.window(len(items))
        return list(items[offset : offset + limit])


def spring_page(content: list[T], total: int, paging: Paging) -> SpringPage[T]:
    """The eleven keys of Spring's ``Page``; ``unpaged`` reports page 0 of ``max(total, 20)``."""
    number = 0 if paging.unpaged else paging.page
    size = max(total, DEFAULT_SIZE) if paging.unpaged else paging.size
    pages = -(-total // size) if total > 0 else 0
    sort = SortDto(sorted=bool(paging.sorts), unsorted=not paging.sorts, empty=not paging.sorts)
    return SpringPage(
        content=content,
        pageable=PageableDto(page_number=number, page_size=size, offset=number * size, sort=sort),
        total_elements=total,
        total_pages=pages,
        size=size,
        number=number,
        number_of_elements=len(content),
        first=number == 0,
        last=number + 1 >= pages,
        empty=not content,
        sort=sort,
    )


def values(query: Query, *names: str) -> tuple[str, ...]:
    """Every value of these parameters, repeated or comma-joined, trimmed, blanks dropped."""
    found: list[str] = []
    for name in names:
        for raw in query.get(name, ()):
            found.extend(part.strip() for part in raw.split(","))
    return tuple(value for value in found if value)


def first_value(query: Query, name: str) -> str | None:
    found = query.get(name, ())
    return found[0] if found else None


def flag(query: Query, name: str) -> bool:
    return (first_value(query, name) or "").strip().lower() == "true"


def _int(raw: str | None, default: int) -> int:
    text = (raw or "").strip()
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit() or len(body) > 12:
        return default
    return int(text)


def _size(raw: str | None) -> int:
    size = _int(raw, DEFAULT_SIZE)
    return DEFAULT_SIZE if size < 1 else min(size, MAX_SIZE)


def _sort(raw: str) -> SortKey:
    key, _, direction = raw.partition(",")
    return SortKey(key.strip(), direction.strip().lower() == "desc")
