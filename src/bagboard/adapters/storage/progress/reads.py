"""The list reads of positions and read marks: a page of comics' readings in one statement,
and the comics a user is reading."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import BindParameter, bindparam, exists, false, literal_column, null, select

from bagboard.adapters.storage.browse.folders import COMIC, PagedStatement, empty
from bagboard.adapters.storage.db.lean import LeanConnection, Prepared
from bagboard.adapters.storage.db.lean import Row as LeanRow
from bagboard.adapters.storage.db.tables import comics, read_marks, reading_progress
from bagboard.domain.browse import ComicRow
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.progress import ComicReading, Device, ReadingProgress

__all__ = ["device", "keep_reading", "readings", "touched"]

_p = reading_progress.c
_m = read_marks.c

# What a row of ``_READINGS`` is: the comic's own position row, a position row kept at the
# comic's current path (written while the comic was not indexed or not visible), a live mark.
_OWN, _AT_PATH, _MARK = 0, 1, 2
# Far below every driver's bound-parameter limit; a list page asks for at most 200.
_CHUNK = 1000


def _readings() -> Prepared:
    """A user's position rows and live read marks of some comics, all in one statement: one
    round trip per page of a list."""
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
        _p.server_stamped,
    )
    linked = (
        select(literal_column(str(_OWN)), comics.c.id, *fields)
        .select_from(reading_progress.join(comics, comics.c.id == _p.comic_id))
        .where(_p.user_id == user, _p.comic_id.in_(wanted))
    )
    at_path = (
        select(literal_column(str(_AT_PATH)), comics.c.id, *fields)
        .select_from(
            comics.join(
                reading_progress,
                (_p.comic_path == comics.c.path) & _p.comic_id.is_(None) & (_p.user_id == user),
            )
        )
        .where(comics.c.id.in_(wanted))
    )
    nothing = [null().label(f"none_{n}") for n in range(len(fields))]
    marked = select(literal_column(str(_MARK)), _m.comic_id, *nothing).where(
        _m.user_id == user, _m.comic_id.in_(wanted), _m.deleted == false()
    )
    return Prepared(linked.union_all(at_path, marked))


_READINGS = _readings()
_DELETED = 8  # the column of ``deleted`` in a position row of ``_READINGS``


def readings(
    conn: LeanConnection, user_id: int, comic_ids: Sequence[int]
) -> dict[int, ComicReading]:
    """For each comic, its own position row, else one kept at its current path; and its mark."""
    own: dict[int, LeanRow] = {}
    kept_at_path: dict[int, LeanRow] = {}
    read: set[int] = set()
    for chunk in _chunks(sorted(set(comic_ids))):
        for row in conn.all(_READINGS, user_id=user_id, comic_ids=chunk):
            kind, comic_id = row[0], row[1]
            if kind == _MARK:
                read.add(comic_id)
            else:
                (own if kind == _OWN else kept_at_path)[comic_id] = row
    found = {**kept_at_path, **own}
    positions = {comic_id: _position(row) for comic_id, row in found.items() if not row[_DELETED]}
    return {
        comic_id: ComicReading(comic_id in read, positions.get(comic_id))
        for comic_id in positions.keys() | read
    }


def _touched() -> Prepared:
    """The comics of ``libraries`` with a live row of the user: linked positions, positions
    kept at a comic's path, and marks (the rows ``readings`` reads, from the user's side)."""
    user: BindParameter[int] = bindparam("user_id")
    libraries = comics.c.library_id.in_(bindparam("libraries", expanding=True))
    linked = (
        select(comics.c.id)
        .select_from(reading_progress.join(comics, comics.c.id == _p.comic_id))
        .where(_p.user_id == user, _p.deleted == false(), libraries)
    )
    at_path = (
        select(comics.c.id)
        .select_from(
            reading_progress.join(comics, (comics.c.path == _p.comic_path) & _p.comic_id.is_(None))
        )
        .where(_p.user_id == user, _p.deleted == false(), libraries)
    )
    marked = (
        select(comics.c.id)
        .select_from(read_marks.join(comics, comics.c.id == _m.comic_id))
        .where(_m.user_id == user, _m.deleted == false(), libraries)
    )
    return Prepared(linked.union(at_path, marked).order_by(literal_column("1")))


_TOUCHED = _touched()


def touched(conn: LeanConnection, user_id: int, library_ids: Sequence[int]) -> list[int]:
    if not library_ids:
        return []
    rows = conn.all(_TOUCHED, user_id=user_id, libraries=list(library_ids))
    return [row[0] for row in rows]


def _keep_reading() -> PagedStatement:
    """A user's live positions in comics of ``libraries`` they have not marked read, in the
    order of the (user, updated_at) index."""
    user: BindParameter[int] = bindparam("user")
    marked = exists().where(_m.user_id == user, _m.comic_id == comics.c.id, _m.deleted == false())
    return PagedStatement(
        COMIC.join(reading_progress, _p.comic_id == comics.c.id)
        .where(
            _p.user_id == user,
            _p.deleted == false(),
            comics.c.library_id.in_(bindparam("libraries", expanding=True)),
            ~marked,
        )
        .order_by(_p.updated_at.desc(), comics.c.id.desc())
    )


_KEEP_READING = _keep_reading()


def keep_reading(
    conn: LeanConnection, user_id: int, library_ids: Sequence[int], page: PageRequest
) -> Page[ComicRow]:
    if not library_ids:
        return empty(page)
    return _KEEP_READING.page(conn, page, ComicRow, user=user_id, libraries=list(library_ids))


def device(device_id: str | None, name: str | None) -> Device | None:
    return None if device_id is None else Device(device_id, name or "")


def _position(row: LeanRow) -> ReadingProgress:
    _kind, _id, path, page, total, spent, updated, client, deleted, device_id, name, by_server = row
    return ReadingProgress(
        path=path,
        page_number=page,
        total_pages=total,
        time_spent=spent,
        updated_at=updated,
        client_updated_at=client,
        cleared=deleted,
        device=device(device_id, name),
        server_stamped=by_server,
    )


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])
