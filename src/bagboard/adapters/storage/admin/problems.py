"""The unreadable files of the index, read from ``comics.error`` (written by the scanner)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, func, select

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.pagination import Page, PageRequest
from bagboard.domain.problems import Problem
from bagboard.ports.problems import ProblemList

__all__ = ["SqlProblemList"]

_UNREADABLE = comics.c.error.is_not(None)


class SqlProblemList(ProblemList):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self, library_ids: Sequence[int], page: PageRequest) -> Page[Problem]:
        if not library_ids:
            return Page([], 0, page)
        wanted = (_UNREADABLE, comics.c.library_id.in_(sorted(set(library_ids))))
        with translate_errors(), self._engine.connect() as conn:
            # Paths compare by code point everywhere, as the memory list compares them;
            # PostgreSQL's default collation would follow the locale's rules.
            path = comics.c.path
            by_path = path.collate("C") if conn.dialect.name == "postgresql" else path
            query = (
                select(comics.c.id, comics.c.library_id, path, comics.c.error, comics.c.updated_at)
                .where(*wanted)
                .order_by(comics.c.library_id, by_path, comics.c.id)
                .offset(page.offset)
                .limit(page.limit)
            )
            total = conn.execute(select(func.count()).select_from(comics).where(*wanted)).scalar()
            rows = conn.execute(query).all()
        return Page([Problem(*row) for row in rows], int(total or 0), page)

    def count(self, library_id: int) -> int:
        counting = select(func.count()).where(_UNREADABLE, comics.c.library_id == library_id)
        with translate_errors(), self._engine.connect() as conn:
            return int(conn.execute(counting.select_from(comics)).scalar() or 0)
