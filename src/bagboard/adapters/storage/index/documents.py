"""KOReader's document ids of indexed comics (``ports.comic_documents``), read from the
columns and the alias table the index writes with each comic."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select, union

from bagboard.adapters.storage.db.lean import Prepared, lean
from bagboard.adapters.storage.db.tables import comic_document_aliases, comics
from bagboard.ports.comic_documents import ComicDocuments, DocumentMatches

__all__ = ["SqlComicDocuments"]

_aliases = comic_document_aliases.c
# Both through an index: ix_comics_kosync_md5 and ix_comic_document_aliases_digest.
_BY_CONTENT = Prepared(
    union(
        select(comics.c.id).where(comics.c.kosync_md5 == bindparam("digest")),
        select(_aliases.comic_id).where(_aliases.digest == bindparam("digest")),
    )
)
_BY_NAME = Prepared(select(comics.c.id).where(comics.c.name_md5 == bindparam("digest")))


class SqlComicDocuments(ComicDocuments):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find(self, document: str) -> DocumentMatches:
        # Every id KOReader makes is 32 lowercase hex digits; anything else names nothing.
        digest = document.lower()
        if len(digest) != 32:
            return DocumentMatches()
        with lean(self._engine) as conn:
            content = sorted({row[0] for row in conn.all(_BY_CONTENT, digest=digest)})
            name = sorted(row[0] for row in conn.all(_BY_NAME, digest=digest))
        return DocumentMatches(tuple(content), tuple(name))
