"""Persistent series ids (``ports/series_ids.py``) in ``komga_series``."""

from __future__ import annotations

from collections.abc import Sequence
from threading import Lock

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.errors import translate_errors
from bagboard.adapters.storage.db.tables import komga_series
from bagboard.adapters.storage.index.generation import IndexVersion
from bagboard.ports.change_feed import ChangeFeed
from bagboard.ports.series_ids import SeriesIds, SeriesKey

__all__ = ["SqlSeriesIds"]

# Keys per statement: far below either database's bound-parameter limit.
_CHUNK = 400
# Ids kept in memory (``_Kept``), a few libraries' worth of series.
_KEPT = 100_000


class _Kept:
    """Ids read at one index generation. An assigned id never changes and is dropped only
    with its library, whose removal raises the generation (``generation.py``): so an id
    read while the generation is N is exact while it is N, and a series list, which names
    every series of a library, checks that one number instead of reading them all again."""

    def __init__(self) -> None:
        self.generation: int | None = None
        self.ids: dict[SeriesKey, int] = {}
        self.keys: dict[int, SeriesKey] = {}
        self.lock = Lock()

    def at(self, generation: int | None) -> None:
        """Forget what another generation read (called with ``lock`` held)."""
        if generation != self.generation or len(self.ids) > _KEPT:
            self.generation, self.ids, self.keys = generation, {}, {}

    def keep(self, generation: int | None, found: dict[SeriesKey, int]) -> None:
        with self.lock:
            if generation is not None and generation == self.generation:
                self.ids.update(found)
                self.keys.update((series_id, key) for key, series_id in found.items())


class SqlSeriesIds(SeriesIds):
    def __init__(self, engine: Engine, changes: ChangeFeed | None = None) -> None:
        self._engine = engine
        self._version = IndexVersion(changes)
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert
        self._kept = _Kept()

    def _generation(self) -> int | None:
        with translate_errors():
            return self._version.now(self._engine)

    def ids(self, keys: Sequence[SeriesKey]) -> dict[SeriesKey, int]:
        generation = self._generation()
        kept = self._kept
        with kept.lock:
            kept.at(generation)
            known = {key: kept.ids[key] for key in keys if key in kept.ids}
        rest = [key for key in dict.fromkeys(keys) if key not in known]
        found = self._ids(rest) if rest else {}
        kept.keep(generation, found)
        return known | found

    def _ids(self, wanted: list[SeriesKey]) -> dict[SeriesKey, int]:
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
        generation = self._generation()
        kept = self._kept
        with kept.lock:
            kept.at(generation)
            known = kept.keys.get(series_id)
        if known is not None:
            return known
        query = select(komga_series.c.library_id, komga_series.c.series_key).where(
            komga_series.c.id == series_id
        )
        with translate_errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        key = (int(row[0]), str(row[1]))
        kept.keep(generation, {key: series_id})
        return key


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
