"""Persistent series ids (``ports/series_ids.py``) in ``komga_series``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import komga_series
from bagboard.ports.series_ids import SeriesIds, SeriesKey

__all__ = ["SqlSeriesIds"]

# Keys per statement: far below either database's bound-parameter limit.
_CHUNK = 400


class SqlSeriesIds(SeriesIds):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def ids(self, keys: Sequence[SeriesKey]) -> dict[SeriesKey, int]:
        wanted = list(dict.fromkeys(keys))
        found: dict[SeriesKey, int] = {}
        with translate_errors(), self._engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                found |= _read(conn, wanted[start : start + _CHUNK])
        missing = [key for key in wanted if key not in found]
        if not missing:
            return found
        with translate_errors(), self._engine.begin() as conn:
            for start in range(0, len(missing), _CHUNK):
                chunk = missing[start : start + _CHUNK]
                # Another process may assign the same key meanwhile: the unique index keeps
                # one row, and both read back the same id.
                conn.execute(
                    self._insert(komga_series)
                    .values([{"library_id": lib, "series_key": key} for lib, key in chunk])
                    .on_conflict_do_nothing(index_elements=["library_id", "series_key"])
                )
                found |= _read(conn, chunk)
        return found

    def key(self, series_id: int) -> SeriesKey | None:
        query = select(komga_series.c.library_id, komga_series.c.series_key).where(
            komga_series.c.id == series_id
        )
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (int(row[0]), str(row[1]))


def _read(conn: Connection, keys: list[SeriesKey]) -> dict[SeriesKey, int]:

    wanted = set(keys)
    query = select(komga_series.c.id, komga_series.c.library_id, komga_series.c.series_key).where(
        komga_series.c.library_id.in_({lib for lib, _ in keys}),
        komga_series.c.series_key.in_({key for _, key in keys}),
    )
    found: dict[SeriesKey, int] = {}
    for row in conn.execute(query):
        key = (int(row[1]), str(row[2]))
        if key in wanted:
            found[key] = int(row[0])
    return found
