"""Positions and read marks written through the progress API, on SQLite or PostgreSQL.

The rows are the ones ``reading.py`` reads for list enrichment (see ``tables.py`` on how they
are keyed). Every write first takes a lock on the user's row, then reads what it changes: one
user's writes run one at a time (no lost update, no insert race on the unique keys), and a
write's server time, taken under that lock, orders the sync feed in commit order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Insert,
    Row,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    false,
    func,
    select,
    true,
)
from sqlalchemy import update as sql_update

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import LeanConnection, Prepared, lean
from bagboard.adapters.storage.db.lean import Row as LeanRow
from bagboard.adapters.storage.db.tables import (
    comics,
    index_generation,
    read_marks,
    reading_progress,
    users,
)
from bagboard.adapters.storage.index.generation import GenerationCache, kept
from bagboard.adapters.storage.index.moved_paths import PathHolder, free_path
from bagboard.adapters.storage.progress.feed import count_changes, select_changes
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import (
    ComicKey,
    Device,
    ProgressChange,
    ReadingProgress,
    apply_change,
    clear,
    next_change_time,
)
from bagboard.domain.progress_feed import FeedCursor, FeedItem
from bagboard.ports.progress_store import ProgressStore

_p = reading_progress.c
_m = read_marks.c


_FEED_PAGES_KEPT = 256
# The user's last change in each table: every change of a user gets a later time than the one
# before (``next_change_time``), so together they stand for everything the user changed.
_LAST_CHANGES = (
    select(func.max(_p.updated_at)).where(_p.user_id == bindparam("user_id")).scalar_subquery(),
    select(func.max(_m.updated_at)).where(_m.user_id == bindparam("user_id")).scalar_subquery(),
)
_FEED_VERSION = Prepared(select(*_LAST_CHANGES, select(index_generation.c.value).scalar_subquery()))


def _gone() -> ComicNotFound:
    # A comic removed by a scan between the lookup of its path and the write.
    return ComicNotFound("that comic is not in the library")


class SqlProgressStore(ProgressStore):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._kept_feed: GenerationCache[Page[FeedItem]] = GenerationCache(_FEED_PAGES_KEPT)

    def position(self, user_id: int, key: ComicKey) -> ReadingProgress | None:
        with translate_errors(), self._engine.connect() as conn:
            row = _find(conn, reading_progress, user_id, key)
        return None if row is None else _progress(row, key.path)

    def positions(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingProgress]:
        # As ``_find`` does for each: the comic's own row, else one kept at its current path.
        own: dict[int, LeanRow] = {}
        kept_at_path: dict[int, LeanRow] = {}
        with lean(self._engine) as conn:
            for chunk in _chunks(sorted(set(comic_ids))):
                for row in conn.all(_POSITIONS, user_id=user_id, comic_ids=chunk):
                    (own if row[0] else kept_at_path)[row[1]] = row
        found = {**kept_at_path, **own}
        return {
            comic_id: _lean_progress(row) for comic_id, row in found.items() if not row[_DELETED]
        }

    def save(
        self, user_id: int, key: ComicKey, change: ProgressChange, now: datetime
    ) -> ReadingProgress:
        with translate_errors(missing=_gone()), self._engine.begin() as conn:
            at = _lock_user(conn, user_id, now)
            row = _find(conn, reading_progress, user_id, key)
            current = None if row is None else _progress(row, key.path)
            saved = apply_change(current, change, key.path, at)
            if saved is current:
                return saved  # a forward-only change behind the stored position
            values = {
                "page_number": saved.page_number,
                "total_pages": saved.total_pages,
                "time_spent": saved.time_spent,
                "updated_at": saved.updated_at,
                "client_updated_at": saved.client_updated_at,
                "deleted": False,
                **_device_values(saved.device),
            }
            _write(conn, reading_progress, user_id, key, row, values)
        return saved

    def clear(self, user_id: int, key: ComicKey, now: datetime) -> bool:
        with translate_errors(missing=_gone()), self._engine.begin() as conn:
            at = _lock_user(conn, user_id, now)
            row = _find(conn, reading_progress, user_id, key)
            if row is None or row.deleted:
                return False
            tombstone = clear(_progress(row, key.path), at)
            values = {
                "deleted": True,
                "updated_at": tombstone.updated_at,
                "client_updated_at": tombstone.client_updated_at,
                **_device_values(tombstone.device),
            }
            _write(conn, reading_progress, user_id, key, row, values)
        return True

    def set_read(
        self,
        user_id: int,
        key: ComicKey,
        read: bool,
        now: datetime,
        *,
        page_count: int | None = None,
        time_spent: int | None = None,
    ) -> None:
        with translate_errors(missing=_gone()), self._engine.begin() as conn:
            at = _lock_user(conn, user_id, now)
            row = _find(conn, read_marks, user_id, key)
            if not read:
                if row is not None and not row.deleted:
                    values = {"deleted": True, "updated_at": at}
                    _write(conn, read_marks, user_id, key, row, values)
                return
            values = {"read_at": at, "updated_at": at, "deleted": False}
            values["page_count"] = _given(page_count, row, "page_count")
            values["time_spent"] = _given(time_spent, row, "time_spent") or 0
            _write(conn, read_marks, user_id, key, row, values)

    def changes(self, user_id: int, after: FeedCursor, page: PageRequest) -> Page[FeedItem]:
        # Devices poll the feed far more often than anything changes. A page read is kept
        # under its version: the user's latest change (every change of a user gets a later
        # time than the one before, tombstones included) and the index generation (a scan
        # moving a comic changes the path a change shows). One small read checks both.
        key = (user_id, after, page)
        with lean(self._engine) as conn:
            version = conn.first(_FEED_VERSION, user_id=user_id)
            return kept(self._kept_feed, key, version, lambda: _changes(conn, user_id, after, page))


def _changes(
    conn: LeanConnection, user_id: int, after: FeedCursor, page: PageRequest
) -> Page[FeedItem]:
    total = count_changes(conn, user_id, after)
    items = select_changes(conn, user_id, after, page) if total > page.offset else []
    return Page(items, total, page)


def _given(value: int | None, row: Row[Any] | None, name: str) -> int | None:
    """``value``, or when left out what the live row holds."""
    if value is not None:
        return value
    return None if row is None or row.deleted else getattr(row, name)


# Built once: a statement made per call costs more to construct and key for SQLAlchemy's
# compiled cache than SQLite takes to run it, and a write runs four of them.
_LOCK_ROW = select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update()
# A column no key or foreign key involves: SQLite would check every referencing table on a
# write to ``id``, even one that keeps its value.
_TOUCH_USER = sql_update(users).where(users.c.id == bindparam("user_id")).values(name=users.c.name)
_LATEST = select(*_LAST_CHANGES)


def _lock_user(conn: Connection, user_id: int, now: datetime) -> datetime:
    """Serialise this user's writes and return the server time of this one.

    SQLite takes its single write lock with the first write of a transaction, so a no-op write
    comes first (a read first would start a snapshot that a concurrent commit invalidates);
    PostgreSQL locks the user's row.
    """
    lock = _LOCK_ROW if conn.dialect.name == "postgresql" else _TOUCH_USER
    conn.execute(lock, {"user_id": user_id})
    latest = conn.execute(_LATEST, {"user_id": user_id}).one()
    return next_change_time(now, max((t for t in latest if t is not None), default=None))


@dataclass(frozen=True, slots=True)
class _Finders:
    by_comic: Select[Any]
    by_path: Select[Any]
    update: Update
    insert: Insert


def _finders(table: Table) -> _Finders:
    """The row of a user's comic, by the comic's id or by a path no indexed comic holds."""
    columns = table.c
    base = select(
        table, func.coalesce(comics.c.path, columns.comic_path).label("current_path")
    ).select_from(table.outerjoin(comics, comics.c.id == columns.comic_id))
    mine = columns.user_id == bindparam("user_id")
    return _Finders(
        by_comic=base.where(mine, columns.comic_id == bindparam("comic_id")),
        by_path=base.where(
            mine, columns.comic_path == bindparam("path"), columns.comic_id.is_(None)
        ),
        # The columns to set are the keys of the parameters given with it.
        update=sql_update(table).where(columns.id == bindparam("row_id")),
        insert=table.insert(),
    )


_FINDERS = {table.name: _finders(table) for table in (reading_progress, read_marks)}


def _find(conn: Connection, table: Table, user_id: int, key: ComicKey) -> Row[Any] | None:
    """The row for ``key``: the comic's own row, else one left at the path by a comic no longer
    indexed (or written for the path while it was not indexed)."""
    finders = _FINDERS[table.name]
    if key.comic_id is not None:
        found = conn.execute(finders.by_comic, {"user_id": user_id, "comic_id": key.comic_id})
        row = found.first()
        if row is not None:
            return row
    return conn.execute(finders.by_path, {"user_id": user_id, "path": key.path}).first()


def _write(
    conn: Connection,
    table: Table,
    user_id: int,
    key: ComicKey,
    row: Row[Any] | None,
    values: Mapping[str, Any],
) -> None:
    """Store ``values`` in ``row`` (linking it to the key's comic and path), or a new row."""
    if row is not None:
        moved = row.comic_path != key.path
        if moved and _take_path(conn, table, user_id, key, row.id) is PathHolder.LINKED:
            moved = False  # keep the old path: another comic's row holds this one
        path = {"comic_path": key.path} if moved else {}
        changes = {"row_id": row.id, "comic_id": key.comic_id, **path, **values}
        conn.execute(_FINDERS[table.name].update, changes)
        return
    if _take_path(conn, table, user_id, key, None) is PathHolder.LINKED:
        raise ComicNotFound("that comic is not in the library")
    row_values = {"user_id": user_id, "comic_id": key.comic_id, "comic_path": key.path}
    conn.execute(_FINDERS[table.name].insert, {**row_values, **values})


def _take_path(
    conn: Connection, table: Table, user_id: int, key: ComicKey, own_id: int | None
) -> PathHolder:
    """Free ``key.path`` for the key's row: stale rows move on; an orphan still holding it is
    superseded by the comic's own row and dropped."""
    scope = (table.c.user_id == user_id,)
    holder = free_path(conn, table, table.c.comic_path, scope, key.path)
    if holder is PathHolder.UNLINKED and key.comic_id is not None:
        conn.execute(
            delete(table).where(
                *scope,
                table.c.comic_path == key.path,
                table.c.comic_id.is_(None),
                table.c.id != (own_id if own_id is not None else -1),
            )
        )
        return PathHolder.NONE
    return holder


def _progress(row: Row[Any], path: str) -> ReadingProgress:
    return ReadingProgress(
        path=row.current_path if row.comic_id is not None else path,
        page_number=row.page_number,
        total_pages=row.total_pages,
        time_spent=row.time_spent,
        updated_at=row.updated_at,
        client_updated_at=row.client_updated_at,
        cleared=row.deleted,
        device=_device(row.device_id, row.device_name),
    )


def _device_values(device: Device | None) -> dict[str, str | None]:
    if device is None:
        return {"device_id": None, "device_name": None}
    return {"device_id": device.id, "device_name": device.name}


def _device(device_id: str | None, name: str | None) -> Device | None:
    return None if device_id is None else Device(device_id, name or "")


def _positions() -> Prepared:
    """A user's position rows for some comics, each flagged whether it is the comic's own row
    (linked by id) or one kept at the comic's current path (written while the comic was not
    indexed or not visible); both kinds in one statement, one round trip per page of a list."""
    user: BindParameter[int] = bindparam("user_id")
    wanted: BindParameter[list[int]] = bindparam("comic_ids", expanding=True)
    fields = (
        comics.c.path,
        _p.page_number,
        _p.total_pages,
        _p.time_spent,
        _p.updated_at,
        _p.client_updated_at,
        _p.deleted,
        _p.device_id,
        _p.device_name,
    )
    linked = (
        select(true(), comics.c.id, *fields)
        .select_from(reading_progress.join(comics, comics.c.id == _p.comic_id))
        .where(_p.user_id == user, _p.comic_id.in_(wanted))
    )
    at_path = (
        select(false(), comics.c.id, *fields)
        .select_from(
            comics.join(
                reading_progress,
                (_p.comic_path == comics.c.path) & _p.comic_id.is_(None) & (_p.user_id == user),
            )
        )
        .where(comics.c.id.in_(wanted))
    )
    return Prepared(linked.union_all(at_path))


_POSITIONS = _positions()
_DELETED = 8  # the column of ``deleted`` in a row of ``_POSITIONS``
# Far below every driver's bound-parameter limit; a list page asks for at most 200.
_CHUNK = 1000


def _lean_progress(row: LeanRow) -> ReadingProgress:
    _own, _id, path, page, total, spent, updated, client, deleted, device_id, name = row
    return ReadingProgress(
        path=path,
        page_number=page,
        total_pages=total,
        time_spent=spent,
        updated_at=updated,
        client_updated_at=client,
        cleared=deleted,
        device=_device(device_id, name),
    )


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])
