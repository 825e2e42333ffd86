"""How the memory stores follow a removed user or library, as the SQL schema's cascades do.

In SQL, deleting a user or a library row takes its dependent rows with it in the same
statement. The memory stores are separate objects, so the user and library stores are given
the stores holding such rows and tell them, in the order given, what went.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["FollowsLibraries", "FollowsUsers"]


class FollowsUsers(Protocol):
    def forget_user(self, user_id: int) -> None:
        """Drop every row of this user (its tokens, shelves, positions)."""
        ...


class FollowsLibraries(Protocol):
    def forget_library(self, library_id: int) -> None:
        """Drop (or, for positions, unlink) every row of this library."""
        ...
