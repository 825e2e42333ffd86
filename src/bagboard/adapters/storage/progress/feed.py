"""The sync feed's queries: a user's position and mark changes after a cursor, in order.

Each table is read as a range of its (user_id, updated_at, id) index, at most one page deep,
and the two ranges are merged; no filter is computed per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress_feed import ChangeKind, FeedCursor, FeedItem, Source

__all__ = ["count_changes", "select_changes"]


_SOURCES: tuple[tuple[Table, Source], ...] = (
    (reading_progress, Source.POSITION),
    (read_marks, Source.MARK),
)


def _after(table: Table, source: Source, cursor_source: Source) -> ColumnElement[bool]:
    """Rows of ``table`` that come after the cursor (``at``, ``cursor_source``, ``row_id``) in
    (time, source, id) order."""
    at = table.c.updated_at
    if source.value > cursor_source.value:
        return at >= bindparam("at")
    if source.value < cursor_source.value:
        return at > bindparam("at")
    return and_(at >= bindparam("at"), or_(at > bindparam("at"), table.c.id > bindparam("row_id")))


def _nothing() -> ColumnElement[Any]:
    return cast(null(), Integer)


def _range(table: Table, source: Source, cursor_source: Source) -> Select[Any]:
    c = table.c
    is_position = source is Source.POSITION
    return (
        select(
            literal(source.value).label("source"),
            c.id,
            c.updated_at,
            func.coalesce(comics.c.path, c.comic_path).label("path"),
            (c.page_number if is_position else _nothing()).label("page_number"),
            (c.total_pages if is_position else _nothing()).label("total_pages"),
            c.time_spent,
            (_nothing() if is_position else c.page_count).label("page_count"),
            c.deleted,
        )
        .select_from(table.outerjoin(comics, comics.c.id == c.comic_id))
        .where(c.user_id == bindparam("user_id"), _after(table, source, cursor_source))
        .order_by(c.updated_at, c.id)
        .limit(bindparam("depth"))
    )


@dataclass(frozen=True, slots=True)
class _Queries:
    page: Prepared
    count: Prepared


def _queries(cursor_source: Source) -> _Queries:
    """The page and the count of changes after a cursor of that source; the rest of the cursor,
    the user and the page are parameters."""
    ranges = [_range(table, source, cursor_source).subquery() for table, source in _SOURCES]
    merged = union_all(*(select(r) for r in ranges)).subquery()
    page = (
        select(merged)
        .order_by(merged.c.updated_at, merged.c.source, merged.c.id)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    counts = [
        select(func.count())
        .select_from(table)
        .where(table.c.user_id == bindparam("user_id"), _after(table, source, cursor_source))
        .scalar_subquery()
        for table, source in _SOURCES
    ]
    return _Queries(Prepared(page), Prepared(select(counts[0] + counts[1])))


# Built once: the sync feed is polled by every device, and building these per request cost
# several times what the database took to answer them.
_QUERIES = {source: _queries(source) for source in Source}
_SOURCE_OF = {source.value: source for source in Source}


def _values(user_id: int, after: FeedCursor) -> dict[str, Any]:
    return {"user_id": user_id, "at": after.at, "row_id": after.row_id}


def select_changes(
    conn: LeanConnection, user_id: int, after: FeedCursor, page: PageRequest
) -> list[FeedItem]:
    rows = conn.all(
        _QUERIES[after.source].page,
        **_values(user_id, after),
        depth=page.offset + page.limit,
        offset=page.offset,
        limit=page.limit,
    )
    return [_item(*row) for row in rows]


def count_changes(conn: LeanConnection, user_id: int, after: FeedCursor) -> int:
    return int(conn.scalar(_QUERIES[after.source].count, **_values(user_id, after)))


def _item(
    source_value: int,
    row_id: int,
    updated_at: datetime,
    path: str,
    page_number: int | None,
    total_pages: int | None,
    time_spent: int | None,
    page_count: int | None,
    deleted: bool,
) -> FeedItem:
    source = _SOURCE_OF[source_value]
    cursor = FeedCursor(updated_at, source, row_id)
    if source is Source.MARK:
        if deleted:
            return FeedItem(ChangeKind.UNREAD, path, cursor)
        return FeedItem(ChangeKind.READ, path, cursor, time_spent=time_spent, page_count=page_count)
    if deleted:
        return FeedItem(ChangeKind.CLEARED, path, cursor)
    return FeedItem(
        ChangeKind.POSITION,
        path,
        cursor,
        page_number=page_number,
        total_pages=total_pages,
        time_spent=time_spent,
    )
