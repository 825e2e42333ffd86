"""Values derived from the index, remembered for one index generation.

Every index write raises ``tables.index_generation`` in its own transaction, whichever process
writes. A value read from the index while the generation was N is still exact while it is N,
so a reader may keep it and check that one number instead of reading again: one indexed read
of one row instead of many. Used for series searches and folder shapes, which read many rows
to produce little, and for pages of comics, whose rows cost more to read and build than the
generation does to check.

With a change feed (``ports/change_feed.py``) the check costs no statement at all: the feed's
``Change.INDEX`` version moves with every write of the generation row, in any process
(``IndexVersion``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bagboard.adapters.storage.db.lean import LeanConnection, Prepared, lean
from bagboard.adapters.storage.db.tables import index_generation
from bagboard.ports.change_feed import Change, ChangeFeed
from bagboard.services.kept_answers import VersionedCache

# The last values by key, each valid for the generation (or a version that includes it) it was
# read at.
GenerationCache = VersionedCache

__all__ = ["GenerationCache", "IndexVersion", "current_generation", "kept", "next_generation"]

V = TypeVar("V")

_GENERATION = Prepared(select(index_generation.c.value))


def next_generation(conn: Connection) -> None:
    """Raise the index generation (``tables.index_generation``), making its row if missing."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(index_generation).values(id=1, value=1)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[index_generation.c.id],
            set_={"value": index_generation.c.value + 1},
        )
    )


def current_generation(conn: LeanConnection) -> int | None:
    """The index generation now; None when its row is missing (nothing can be kept then)."""
    value = conn.scalar(_GENERATION)
    return None if value is None else int(value)


class IndexVersion:
    """The version kept values are checked against: the feed's, or else the generation row.

    Read it *before* the value it guards (``kept`` takes it as an argument for that reason):
    a write committed while the value is read then moves it on after the value was kept.
    """

    def __init__(self, changes: ChangeFeed | None) -> None:
        self._changes = changes

    def of(self, conn: LeanConnection) -> int | None:
        """The version now, read on ``conn`` when there is no feed."""
        if self._changes is not None:
            return self._changes.version(Change.INDEX)
        return current_generation(conn)

    def now(self, engine: Engine) -> int | None:
        """The version now, read on a connection of ``engine`` when there is no feed."""
        if self._changes is not None:
            return self._changes.version(Change.INDEX)
        with lean(engine) as conn:
            return current_generation(conn)

    def written(self) -> None:
        """An index write of this process has just committed."""
        if self._changes is not None:
            self._changes.noted(Change.INDEX)


def kept(
    cache: GenerationCache[V], key: Hashable, version: Hashable | None, read: Callable[[], V]
) -> V:
    """The value kept for ``key`` at ``version`` (read before the value is), else ``read()``,
    then kept. ``version`` None keeps nothing."""
    return cache.kept(key, version, read)


def reading(engine: Engine, read: Callable[[LeanConnection], V]) -> Callable[[], V]:
    """``read`` on a connection of ``engine`` borrowed for it alone (for ``kept``)."""

    def load() -> V:
        with lean(engine) as conn:
            return read(conn)

    return load


def kept_on(
    cache: GenerationCache[V],
    key: Hashable,
    version: IndexVersion,
    engine: Engine,
    read: Callable[[LeanConnection], V],
) -> V:
    """``kept``, borrowing a connection of ``engine`` only to ``read``: with the change feed,
    a value still kept costs no connection at all."""
    return kept(cache, key, version.now(engine), reading(engine, read))
