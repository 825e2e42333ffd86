"""``SqlPageCatalog``: measured page lists on SQLite or PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.durability import rebuildable
from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.page_tables import page_lists
from bagboard.adapters.storage.db.tables import comics
from bagboard.domain.images import FileStamp, PageInfo
from bagboard.ports.page_catalog import PageCatalog

__all__ = ["SqlPageCatalog"]

_c = page_lists.c


class SqlPageCatalog(PageCatalog):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def pages(self, comic_id: int, stamp: FileStamp) -> tuple[PageInfo, ...] | None:
        query = select(_c.pages_json).where(
            _c.comic_id == comic_id,
            _c.file_size == stamp.size,
            _c.file_mtime_ns == stamp.mtime_ns,
        )
        with translate_errors(), self._engine.connect() as conn:
            raw = conn.execute(query).scalar()
        if raw is None:
            return None
        return tuple(
            PageInfo(number, name, width, height, size, media_type)
            for number, (name, width, height, size, media_type) in enumerate(
                json.loads(raw), start=1
            )
        )

    def save(self, comic_id: int, stamp: FileStamp, pages: Sequence[PageInfo]) -> None:
        rows = [[p.name, p.width, p.height, p.size, p.media_type] for p in pages]
        values = {
            "file_size": stamp.size,
            "file_mtime_ns": stamp.mtime_ns,
            "pages_json": json.dumps(rows, ensure_ascii=False),
        }
        # Measured again from the file when lost (``durability``).
        with translate_errors(), rebuildable(self._engine) as conn:
            if conn.execute(select(comics.c.id).where(comics.c.id == comic_id)).first() is None:
                return
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(page_lists).values(comic_id=comic_id, **values)
            conn.execute(statement.on_conflict_do_update(index_elements=[_c.comic_id], set_=values))
