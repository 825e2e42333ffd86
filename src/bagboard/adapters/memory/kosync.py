"""What KOReader sent for unmatched documents (``ports/kosync_orphans.py``), in memory.

A removed user's orphans go with it as in SQL: the store asks ``users`` whether the user
still exists, and ids are never reused.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from bagboard.domain.errors import UserNotFound
from bagboard.domain.kosync import KosyncPosition
from bagboard.ports.kosync_orphans import KosyncOrphans
from bagboard.ports.user_store import UserStore

__all__ = ["MemoryKosyncOrphans"]


class MemoryKosyncOrphans(KosyncOrphans):
    def __init__(self, users: UserStore) -> None:
        self._users = users
        self._rows: dict[tuple[int, str], KosyncPosition] = {}
        self._lock = threading.Lock()

    def get(self, user_id: int, document: str) -> KosyncPosition | None:
        self._prune()
        with self._lock:
            return self._rows.get((user_id, document))

    def put(self, user_id: int, position: KosyncPosition) -> None:
        if self._users.get(user_id) is None:
            raise UserNotFound("no such user")
        with self._lock:
            self._rows[(user_id, position.document)] = position

    def documents(self) -> list[str]:
        self._prune()
        with self._lock:
            return sorted({document for _, document in self._rows})

    def take(self, document: str) -> Sequence[tuple[int, KosyncPosition]]:
        self._prune()
        with self._lock:
            keys = sorted(key for key in self._rows if key[1] == document)
            return [(user_id, self._rows.pop((user_id, doc))) for user_id, doc in keys]

    def _prune(self) -> None:
        with self._lock:
            user_ids = {user_id for user_id, _ in self._rows}
        gone = {user_id for user_id in user_ids if self._users.get(user_id) is None}
        if gone:
            with self._lock:
                for key in [key for key in self._rows if key[0] in gone]:
                    del self._rows[key]
