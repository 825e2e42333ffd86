"""The sync feed: every change to a user's positions and read marks, in a stable order.

Changes are ordered by server time, then by kind (positions before marks), then by row id. A
``FeedCursor`` names a place in that order; a client that resumes "after" the last cursor it saw
neither skips nor repeats a change, since every change of a user gets a time strictly after
the user's previous change (``progress.next_change_time``) and so lands after any cursor
already handed out.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum, IntEnum

from bagboard.domain.errors import InvalidInput
from bagboard.domain.pagination import Page

__all__ = ["ChangeKind", "Feed", "FeedCursor", "FeedItem", "Source"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The last microsecond of year 9999 since the epoch: no cursor or ``ts`` goes past it, so
# nothing a client sends can overflow datetime arithmetic.
_MAX_MICROS = 253_402_300_799_999_999
# Row ids are 32-bit in every store; a larger one in a cursor is forged and must not reach a query.
_MAX_ROW_ID = 2**31 - 1


class Source(IntEnum):
    """Where a change is stored; also its rank among changes made at the same time."""

    START = -1  # not a change: the place before every change at a time
    POSITION = 0
    MARK = 1


class ChangeKind(Enum):
    POSITION = "position"  # a position saved
    CLEARED = "cleared"  # a position deleted
    READ = "read"  # marked read
    UNREAD = "unread"  # the read mark removed


@dataclass(frozen=True, slots=True, order=True)
class FeedCursor:
    """A place in a user's change order; opaque to clients."""

    at: datetime
    source: Source
    row_id: int

    @classmethod
    def start(cls, at: datetime) -> FeedCursor:
        """The place just before every change made at or after ``at``."""
        return cls(at, Source.START, 0)

    @classmethod
    def since_unix(cls, ts: int) -> FeedCursor:
        return cls.start(_EPOCH + timedelta(seconds=max(0, min(ts, _MAX_MICROS // 10**6))))

    def encode(self) -> str:
        micros = (self.at - _EPOCH) // timedelta(microseconds=1)
        raw = f"{micros}.{self.source.value}.{self.row_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        try:
            padded = text.strip() + "=" * (-len(text.strip()) % 4)
            micros, source, row_id = base64.urlsafe_b64decode(padded).decode().split(".")
            at = _EPOCH + timedelta(microseconds=int(micros))
            cursor = cls(at, Source(int(source)), int(row_id))
        except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError) as exc:
            raise InvalidInput("cursor is not one this server handed out") from exc
        if not 0 <= int(micros) <= _MAX_MICROS or not 0 <= cursor.row_id <= _MAX_ROW_ID:
            raise InvalidInput("cursor is not one this server handed out")
        return cursor


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One change. Position fields are None for marks and cleared positions; ``page_count``
    is a read mark's."""

    kind: ChangeKind
    path: str
    cursor: FeedCursor
    page_number: int | None = None
    total_pages: int | None = None
    time_spent: int | None = None
    page_count: int | None = None

    @property
    def updated_at(self) -> datetime:
        return self.cursor.at


@dataclass(frozen=True, slots=True)
class Feed:
    """A page of changes and where to resume: after its last item, or where it started when
    it is empty, so a client can always keep ``next_cursor`` and ask again later."""

    page: Page[FeedItem]
    next_cursor: FeedCursor
    server_time: datetime
