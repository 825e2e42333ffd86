"""Reading lists (``ports/reading_lists.py``) on SQLite or PostgreSQL.

A list is one row of ``reading_lists`` found by owner and name key, its entries rows of
``reading_list_entries`` by position. The foreign keys do the rest: a removed user's lists and
a removed list's entries cascade, and a comic leaving the index clears its entries' links.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.browse.folders import COMIC, PagedStatement
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics, reading_list_entries, reading_lists
from bagboard.adapters.storage.lists.linked import LINKED_COUNTS, LINKED_IDS, lists_linking
from bagboard.domain.browse import ComicRow
from bagboard.domain.errors import ComicNotFound, UserNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.readlists import ListBook, ReadingList, ReadingListEntry, list_key
from bagboard.ports.reading_lists import ReadingLists

__all__ = ["SqlReadingLists"]

_l = reading_lists.c
_e = reading_list_entries.c

_HEADER = (_l.id, _l.name, _l.summary, _l.owner_id, _l.created_at, _l.updated_at)
# The counts come with the header, each read from the entries' (list, position) index.
_COUNTED = select(func.count()).select_from(reading_list_entries).where(_e.list_id == _l.id)
_HEADERS = select(
    *_HEADER,
    _COUNTED.scalar_subquery(),
    _COUNTED.where(_e.comic_id.is_not(None)).scalar_subquery(),
)
_BOOK = (_e.position, _e.series, _e.number, _e.volume, _e.year, _e.database_ids, _e.comic_id)


def _linked() -> PagedStatement:
    """A list's linked comics in the given libraries, each at its first position, in order
    (the entries' (list, position) index finds the list's rows)."""
    first = (
        select(_e.comic_id, func.min(_e.position).label("position"))
        .where(_e.list_id == bindparam("list_id"), _e.comic_id.is_not(None))
        .group_by(_e.comic_id)
        .subquery()
    )
    return PagedStatement(
        COMIC.join(first, first.c.comic_id == comics.c.id)
        .where(comics.c.library_id.in_(bindparam("libraries", expanding=True)))
        .order_by(first.c.position)
    )


_LINKED = _linked()


# Comic ids checked per statement: far below every driver's limit on parameters.
_CHUNK = 500


class SqlReadingLists(ReadingLists):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def save(
        self,
        owner_id: int | None,
        name: str,
        summary: str,
        books: Sequence[tuple[ListBook, int | None]],
        now: datetime,
    ) -> ReadingList:
        # A foreign-key failure can only be the owner's: the comics are checked first.
        with (
            translate_errors(missing=UserNotFound("no such user")),
            self._engine.begin() as conn,
        ):
            list_id = conn.execute(self._upsert(owner_id, name, summary, now)).scalar_one()
            conn.execute(delete(reading_list_entries).where(_e.list_id == list_id))
            indexed = _indexed(conn, (comic_id for _, comic_id in books))
            rows = [
                _entry_row(list_id, position, book, comic_id if comic_id in indexed else None)
                for position, (book, comic_id) in enumerate(books, start=1)
            ]
            if rows:
                conn.execute(insert(reading_list_entries), rows)
            saved = conn.execute(_HEADERS.where(_l.id == list_id)).one()
        return _header(saved)

    def lists(self, user_id: int | None) -> list[ReadingList]:
        query = _HEADERS.order_by(_l.name_key, _l.id)
        if user_id is not None:
            query = query.where(or_(_l.owner_id == user_id, _l.owner_id.is_(None)))
        with translate_errors(), self._engine.connect() as conn:
            return [_header(row) for row in conn.execute(query)]

    def get(self, list_id: int) -> ReadingList | None:
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(_HEADERS.where(_l.id == list_id)).first()
        return None if row is None else _header(row)

    def entries(self, list_id: int, page: PageRequest) -> Page[ReadingListEntry]:
        count = select(func.count()).select_from(reading_list_entries)
        query: Select[Any] = select(*_BOOK).where(_e.list_id == list_id).order_by(_e.position)
        with translate_errors(), self._engine.connect() as conn:
            total = conn.execute(count.where(_e.list_id == list_id)).scalar_one()
            rows = (
                conn.execute(query.limit(page.limit).offset(page.offset)).all()
                if total > page.offset
                else []
            )
        return Page([_entry(row) for row in rows], total, page)

    def linked(self, list_id: int, library_ids: Sequence[int], page: PageRequest) -> Page[ComicRow]:
        if not library_ids:
            return Page([], 0, page)
        with translate_errors(), lean(self._engine) as conn:
            return _LINKED.page(conn, page, ComicRow, list_id=list_id, libraries=list(library_ids))

    def linked_ids(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, list[int]]:
        # Each list's comics as dict keys: the first position of each, in order.
        found: dict[int, dict[int, None]] = {}
        for list_id, comic_id in self._per_lists(LINKED_IDS, list_ids, library_ids):
            found.setdefault(list_id, {})[comic_id] = None
        return {list_id: list(ids) for list_id, ids in found.items()}

    def linked_counts(
        self, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> dict[int, tuple[int, int]]:
        rows = self._per_lists(LINKED_COUNTS, list_ids, library_ids)
        return {list_id: (int(count), first) for list_id, count, first in rows}

    def containing(self, comic_id: int) -> list[int]:
        return self.containing_any([comic_id])

    def containing_any(self, comic_ids: Sequence[int]) -> list[int]:
        with translate_errors(), lean(self._engine) as conn:
            return sorted(lists_linking(conn, comic_ids))

    def remove(self, list_id: int) -> bool:
        with translate_errors(), self._engine.begin() as conn:
            gone = conn.execute(delete(reading_lists).where(_l.id == list_id).returning(_l.id))
            return gone.first() is not None

    def unresolved(self) -> list[tuple[int, ReadingListEntry]]:
        query = (
            select(_e.list_id, *_BOOK)
            .where(_e.comic_id.is_(None))
            .order_by(_e.list_id, _e.position)
        )
        with translate_errors(), self._engine.connect() as conn:
            return [(row[0], _entry(row[1:])) for row in conn.execute(query)]

    def resolve(self, list_id: int, position: int, comic_id: int) -> None:
        statement = (
            update(reading_list_entries)
            .where(_e.list_id == list_id, _e.position == position)
            .values(comic_id=comic_id)
        )
        # The comic may have left the index since it was matched.
        missing = ComicNotFound("that comic is no longer in the library")
        with translate_errors(missing=missing), self._engine.begin() as conn:
            conn.execute(statement)

    def _per_lists(
        self, statement: Prepared, list_ids: Sequence[int], library_ids: Sequence[int]
    ) -> list[tuple[Any, ...]]:
        """The rows of ``statement`` for ``list_ids`` (in chunks) in ``library_ids``."""
        rows: list[tuple[Any, ...]] = []
        wanted, libraries = sorted(set(list_ids)), list(library_ids)
        with translate_errors(), lean(self._engine) as conn:
            for start in range(0, len(wanted) if libraries else 0, _CHUNK):
                lists = wanted[start : start + _CHUNK]
                rows.extend(conn.all(statement, lists=lists, libraries=libraries))
        return rows

    def _upsert(self, owner_id: int | None, name: str, summary: str, now: datetime) -> Any:
        """Insert the list's header or update the one with its owner and key, returning its
        id: one statement, so two imports of a new list at once still make one list."""
        key = list_key(name)
        values = {"name": name, "summary": summary, "updated_at": now}
        statement = self._insert(reading_lists).values(
            owner_id=owner_id, name_key=key, created_at=now, **values
        )
        # The conflict target names the unique index that applies: owned or shared.
        if owner_id is None:
            upsert = statement.on_conflict_do_update(
                index_elements=[_l.name_key], index_where=_l.owner_id.is_(None), set_=values
            )
        else:
            upsert = statement.on_conflict_do_update(
                index_elements=[_l.owner_id, _l.name_key], set_=values
            )
        return upsert.returning(_l.id)


def _indexed(conn: Connection, comic_ids: Iterable[int | None]) -> set[int]:
    """Which of ``comic_ids`` the index still holds: a comic matched, then removed before the
    list is saved, leaves its entry unresolved rather than failing the import.

    PostgreSQL keeps the found rows from being deleted until the transaction ends (FOR KEY
    SHARE, what the foreign key check itself takes), so none can go between this check and
    the insert; a removal waits, then clears the new links as it would any other. SQLite
    needs nothing: the transaction already holds the database's only write lock.
    """
    wanted = sorted({comic_id for comic_id in comic_ids if comic_id is not None})
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = select(comics.c.id).where(comics.c.id.in_(chunk))
        locked = query.with_for_update(read=True, key_share=True)
        found.update(conn.execute(locked).scalars())
    return found


def _entry_row(list_id: int, position: int, book: ListBook, comic_id: int | None) -> dict[str, Any]:
    return {
        "list_id": list_id,
        "position": position,
        "series": book.series,
        "number": book.number,
        "volume": book.volume,
        "year": book.year,
        "database_ids": json.dumps([list(ids) for ids in book.database_ids]),
        "comic_id": comic_id,
    }


def _entry(row: Sequence[Any]) -> ReadingListEntry:
    position, series, number, volume, year, database_ids, comic_id = tuple(row)
    ids = tuple((str(a), str(b), str(c)) for a, b, c in json.loads(database_ids))
    return ReadingListEntry(position, ListBook(series, number, volume, year, ids), comic_id)


def _header(row: Sequence[Any]) -> ReadingList:
    list_id, name, summary, owner_id, created_at, updated_at, entries, resolved = tuple(row)
    return ReadingList(
        list_id, name, summary, owner_id, created_at, updated_at, int(entries), int(resolved)
    )
