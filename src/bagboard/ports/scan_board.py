"""Where the processes of one server show each other how their scans go.

``serve --workers N`` answers each request from any of N processes, while a scan runs in one
of them (the one an owner's "scan now" reached, or the server's own monitor): the libraries
page asks whichever process answers, so each process posts its scans' status here and reads
the others'. A post is a short text document (the service decides what it says); the board
keeps the latest per library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Posted", "ScanBoard"]


@dataclass(frozen=True, slots=True)
class Posted:
    document: str
    # False when the process that posted it is gone (killed in the middle of a scan, say):
    # a scan it said was running is not.
    writer_alive: bool


class ScanBoard(Protocol):
    """The latest post of each library, shared by the processes of one server (at least);
    posts of one library replace each other whole, never mixing."""

    def post(self, library_id: int, document: str) -> None:
        """Replace the library's post with ``document``. Never raises: a board that cannot be
        written leaves the other processes with the last post they saw."""
        ...

    def clear(self) -> None:
        """Remove every post (a server starting: no scan has run since). Never raises."""
        ...

    def read(self, library_id: int) -> Posted | None:
        """The library's latest post, or None when there is none (or it cannot be read)."""
        ...
