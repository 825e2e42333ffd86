"""What changed in storage, whichever process changed it.

A running server keeps what it reads on every request (tokens, users, libraries, settings,
values derived from the index). The feed says when any process (this one, another server
process, the ``bagboard`` command, another machine) committed a change of a kind, so a kept
value is dropped on the next request rather than after a delay.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

__all__ = ["Change", "ChangeFeed"]


class Change(StrEnum):
    """The kinds of change the feed tells apart."""

    # Users (names, roles, grants, passwords, KOReader keys), their libraries, API tokens
    # and web sessions; not the per-request touches (a token's ``last_used_at``, a session's
    # ``last_seen_at``).
    ACCESS = "access"
    LIBRARIES = "libraries"
    SETTINGS = "settings"
    # Every index write (a scan's batch, a library removed).
    INDEX = "index"
    # Reading positions and read marks, any user's (a position saved, a page tracked, a mark
    # set or cleared): what lists, the sync feed and an issue's page show of a reader.
    READING = "reading"


class ChangeFeed(Protocol):
    """Versions of each kind of change; safe to call from any thread.

    Use: read ``version`` *before* reading the value it guards, keep the value with it, and
    trust the value while ``version`` returns the same number.
    """

    def version(self, change: Change) -> int:
        """A number that differs from any earlier one once any process has committed a change
        of this kind (as soon as this process can know of it). Numbers are this feed's own:
        compare them only with numbers from the same feed."""
        ...

    def versions(self) -> tuple[int, ...]:
        """``version`` of every kind, in the order of ``Change``, looked up at once: what
        depends on every kind checks them for the cost of one."""
        return tuple(self.version(change) for change in Change)

    def following(self) -> bool:
        """Whether changes are told as they happen now. False when the feed cannot tell them
        all (its notifications are down, or nothing announces them): versions are still
        exact where the adapter can make them so, but a value should be kept only briefly."""
        ...

    def noted(self, change: Change) -> None:
        """This process has just committed a change of this kind: versions read after this
        call differ, even before other processes' notifications would say so."""
        ...

    def close(self) -> None:
        """Stop following (threads, connections); versions read afterwards still change with
        every change, at the cost of a read each."""
        ...
