"""Saved pages and read marks by comic id, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Table,
    bindparam,
    exists,
    false,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.browse.folders import COMIC, PagedStatement, empty
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress
from bagboard.adapters.storage.index.moved_paths import free_path
from bagboard.domain.browse import ComicRow, ReadingState
from bagboard.domain.errors import ComicNotFound
from bagboard.domain.pagination import Page, PageRequest
from bagboard.ports.reading_states import ReadingStates

# Far below every driver's bound-parameter limit; a list page asks for at most 200.
_CHUNK = 1000

_progress = reading_progress.c
_marks = read_marks.c


def _states() -> Prepared:
    """A user's saved pages and read marks of some comics, both tables in one statement: one
    round trip per page of a list."""
    user: BindParameter[int] = bindparam("user")
    wanted: BindParameter[list[int]] = bindparam("comics", expanding=True)
    saved = select(_progress.comic_id, _progress.page_number, false()).where(
        _progress.user_id == user, _progress.comic_id.in_(wanted), _progress.deleted == false()
    )
    marked = select(_marks.comic_id, null(), true()).where(
        _marks.user_id == user, _marks.comic_id.in_(wanted), _marks.deleted == false()
    )
    return Prepared(saved.union_all(marked))


_STATES = _states()


def _keep_reading() -> PagedStatement:
    """A user's live positions in comics of ``libraries`` they have not marked read, in the
    order of the (user, updated_at) index."""
    user: BindParameter[int] = bindparam("user")
    marked = exists().where(
        _marks.user_id == user, _marks.comic_id == comics.c.id, _marks.deleted == false()
    )
    return PagedStatement(
        COMIC.join(reading_progress, _progress.comic_id == comics.c.id)
        .where(
            _progress.user_id == user,
            _progress.deleted == false(),
            comics.c.library_id.in_(bindparam("libraries", expanding=True)),
            ~marked,
        )
        .order_by(_progress.updated_at.desc(), comics.c.id.desc())
    )


_KEEP_READING = _keep_reading()


class SqlReadingStates(ReadingStates):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def states(self, user_id: int, comic_ids: Sequence[int]) -> dict[int, ReadingState]:
        pages: dict[int, int] = {}
        read: set[int] = set()
        with lean(self._engine) as conn:
            for chunk in _chunks(sorted(set(comic_ids))):
                for comic_id, page_number, is_mark in conn.all(_STATES, user=user_id, comics=chunk):
                    if is_mark:
                        read.add(comic_id)
                    else:
                        pages[comic_id] = page_number
        return {
            comic_id: ReadingState(last_page=pages.get(comic_id), is_read=comic_id in read)
            for comic_id in pages.keys() | read
        }

    def keep_reading(
        self, user_id: int, library_ids: Sequence[int], page: PageRequest
    ) -> Page[ComicRow]:
        if not library_ids:
            return empty(page)
        with lean(self._engine) as conn:
            return _KEEP_READING.page(
                conn, page, ComicRow, user=user_id, libraries=list(library_ids)
            )

    def save_page(self, user_id: int, comic_id: int, page_number: int, at: datetime) -> None:
        values = {"page_number": page_number, "updated_at": at, "deleted": False}
        with translate_errors(), self._engine.begin() as conn:
            _upsert(conn, reading_progress, user_id, comic_id, values)

    def mark_read(self, user_id: int, comic_id: int, at: datetime) -> None:
        with translate_errors(), self._engine.begin() as conn:
            values = {"read_at": at, "updated_at": at, "deleted": False}
            _upsert(conn, read_marks, user_id, comic_id, values)


def _upsert(
    conn: Connection, table: Table, user_id: int, comic_id: int, values: dict[str, Any]
) -> None:
    """Write ``values`` into the user's row for the comic, creating it when there is none.

    The row is found by comic id, wherever the comic has moved since. A new row is keyed by the
    comic's current path; a row left there by a comic that is no longer indexed (most often
    this very comic before a rebuild gave it a new id) is taken over rather than duplicated.
    """
    path = conn.execute(select(comics.c.path).where(comics.c.id == comic_id)).scalar()
    if path is None:
        raise ComicNotFound("that comic is not in the library")
    columns = table.c
    mine = columns.user_id == user_id
    if conn.execute(
        update(table).where(mine, columns.comic_id == comic_id).values(values)
    ).rowcount:
        return
    free_path(conn, table, columns.comic_path, (mine,), path)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(
        user_id=user_id, comic_id=comic_id, comic_path=path, **values
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[columns.user_id, columns.comic_path],
            set_={"comic_id": comic_id, **values},
            # Never another comic's row: only an orphan, or this comic's own row written
            # by a concurrent request.
            where=or_(columns.comic_id.is_(None), columns.comic_id == comic_id),
        )
    )


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk
