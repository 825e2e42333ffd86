"""The sync feed's queries: a user's position and mark changes after a cursor, in order.

Each table is read as a range of its (user_id, updated_at, id) index, at most one page deep,
and the two ranges are merged; no filter is computed per row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    Table,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from bagboard.adapters.storage.tables import comics, read_marks, reading_progress
from bagboard.domain.pagination import PageRequest
from bagboard.domain.progress_feed import ChangeKind, FeedCursor, FeedItem, Source

_SOURCES: tuple[tuple[Table, Source], ...] = (
    (reading_progress, Source.POSITION),
    (read_marks, Source.MARK),
)


def _after(table: Table, source: Source, cursor: FeedCursor) -> ColumnElement[bool]:
    """Rows of ``table`` that come after ``cursor`` in (time, source, id) order."""
    at = table.c.updated_at
    if source.value > cursor.source.value:
        return at >= cursor.at
    if source.value < cursor.source.value:
        return at > cursor.at
    return and_(at >= cursor.at, or_(at > cursor.at, table.c.id > cursor.row_id))


def _nothing() -> ColumnElement[Any]:
    return cast(null(), Integer)


def _range(
    table: Table, source: Source, user_id: int, cursor: FeedCursor, depth: int
) -> Select[Any]:
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
        .where(c.user_id == user_id, _after(table, source, cursor))
        .order_by(c.updated_at, c.id)
        .limit(depth)
    )


def select_changes(
    conn: Connection, user_id: int, after: FeedCursor, page: PageRequest
) -> list[FeedItem]:
    depth = page.offset + page.limit
    ranges = [_range(table, source, user_id, after, depth).subquery() for table, source in _SOURCES]
    merged = union_all(*(select(r) for r in ranges)).subquery()
    statement = (
        select(merged)
        .order_by(merged.c.updated_at, merged.c.source, merged.c.id)
        .offset(page.offset)
        .limit(page.limit)
    )
    return [_item(row) for row in conn.execute(statement)]


def count_changes(conn: Connection, user_id: int, after: FeedCursor) -> int:
    counts = [
        select(func.count())
        .select_from(table)
        .where(table.c.user_id == user_id, _after(table, source, after))
        .scalar_subquery()
        for table, source in _SOURCES
    ]
    return int(conn.execute(select(counts[0] + counts[1])).scalar_one())


def _item(row: Any) -> FeedItem:
    source = Source(row.source)
    cursor = FeedCursor(row.updated_at, source, row.id)
    if source is Source.MARK:
        if row.deleted:
            return FeedItem(ChangeKind.UNREAD, row.path, cursor)
        return FeedItem(
            ChangeKind.READ,
            row.path,
            cursor,
            time_spent=row.time_spent,
            page_count=row.page_count,
        )
    if row.deleted:
        return FeedItem(ChangeKind.CLEARED, row.path, cursor)
    return FeedItem(
        ChangeKind.POSITION,
        row.path,
        cursor,
        page_number=row.page_number,
        total_pages=row.total_pages,
        time_spent=row.time_spent,
    )
