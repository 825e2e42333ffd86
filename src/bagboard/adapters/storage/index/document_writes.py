"""The index writes of KOReader's document ids (``write.py`` calls them in its transaction):
ids filled in for unchanged comics, and content ids a rewritten comic leaves behind."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.tables import comic_document_aliases, comics
from bagboard.domain.catalog import ComicDigest
from bagboard.domain.kosync import name_md5

__all__ = ["keep_aliases", "superseded_digests", "write_digests"]

# Far below every driver's bound-parameter limit.
_CHUNK = 1000


def write_digests(conn: Connection, library_id: int, digests: list[ComicDigest]) -> None:
    """Both ids of unchanged comics indexed without them; nothing else of theirs is written."""
    statement = (
        update(comics)
        .where(comics.c.id == bindparam("b_id"), comics.c.library_id == library_id)
        .values(kosync_md5=bindparam("b_kosync_md5"), name_md5=bindparam("b_name_md5"))
    )
    conn.execute(
        statement,
        [
            {
                "b_id": digest.comic_id,
                "b_kosync_md5": digest.kosync_md5,
                "b_name_md5": name_md5(digest.path),
            }
            for digest in digests
        ],
    )


def superseded_digests(
    conn: Connection, library_id: int, rewritten: dict[int, str | None]
) -> list[tuple[int, str, str]]:
    """``(comic id, stored id, new id)`` for each comic about to get another content id."""
    wanted = [comic_id for comic_id, digest in rewritten.items() if digest is not None]
    found: list[tuple[int, str, str]] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            select(comics.c.id, comics.c.kosync_md5).where(
                comics.c.library_id == library_id,
                comics.c.id.in_(chunk),
                comics.c.kosync_md5.is_not(None),
            )
        )
        for comic_id, stored in rows:
            new = rewritten[comic_id]
            if new is not None and stored != new:
                found.append((comic_id, stored, new))
    return found


def keep_aliases(conn: Connection, superseded: list[tuple[int, str, str]]) -> None:
    """Keep each superseded content id as an alias of its comic, and drop an alias the comic's
    content has come back to (its current id is no alias)."""
    aliases = comic_document_aliases
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(aliases).on_conflict_do_nothing(
            index_elements=[aliases.c.comic_id, aliases.c.digest]
        ),
        [{"comic_id": comic_id, "digest": old} for comic_id, old, _ in superseded],
    )
    conn.execute(
        delete(aliases).where(
            aliases.c.comic_id == bindparam("b_comic_id"), aliases.c.digest == bindparam("b_digest")
        ),
        [{"b_comic_id": comic_id, "b_digest": new} for comic_id, _, new in superseded],
    )
