"""What KOReader sent for documents no comic matched (``ports/kosync_orphans.py``), in
``kosync_orphans``: one row per user and document, replaced by each write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import kosync_orphans
from bagboard.domain.errors import UserNotFound
from bagboard.domain.kosync import KosyncPosition
from bagboard.ports.kosync_orphans import KosyncOrphans

__all__ = ["SqlKosyncOrphans"]

_o = kosync_orphans.c
_FIELDS = (_o.document, _o.progress, _o.percentage, _o.device, _o.device_id, _o.updated_at)


class SqlKosyncOrphans(KosyncOrphans):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def get(self, user_id: int, document: str) -> KosyncPosition | None:
        query = select(*_FIELDS).where(_o.user_id == user_id, _o.document == document)
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _position(row)

    def put(self, user_id: int, position: KosyncPosition) -> None:
        values: dict[str, Any] = {
            "progress": position.progress,
            "percentage": position.percentage,
            "device": position.device,
            "device_id": position.device_id,
            "updated_at": position.updated_at,
        }
        statement = self._insert(kosync_orphans).values(
            user_id=user_id, document=position.document, **values
        )
        upsert = statement.on_conflict_do_update(
            index_elements=[_o.user_id, _o.document], set_=values
        )
        # A user removed meanwhile: the foreign key refuses the row.
        with translate_errors(missing=UserNotFound("no such user")), self._engine.begin() as conn:
            conn.execute(upsert)

    def documents(self) -> list[str]:
        query = select(_o.document).distinct().order_by(_o.document)
        with translate_errors(), self._engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]

    def take(self, document: str) -> Sequence[tuple[int, KosyncPosition]]:
        query = (
            delete(kosync_orphans).where(_o.document == document).returning(_o.user_id, *_FIELDS)
        )
        with translate_errors(), self._engine.begin() as conn:
            rows = conn.execute(query).all()
        return sorted(((row[0], _position(row[1:])) for row in rows), key=lambda pair: pair[0])


def _position(row: Sequence[Any]) -> KosyncPosition:
    document, progress, percentage, device, device_id, updated_at = tuple(row)
    return KosyncPosition(document, progress, float(percentage), device, device_id, updated_at)
