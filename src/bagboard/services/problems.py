"""The files a scan could not read, for the people who run the server."""

from __future__ import annotations

from dataclasses import dataclass

from bagboard.domain.errors import Forbidden
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import FIRST_PAGE, Page, PageRequest
from bagboard.domain.problems import Problem
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.problems import ProblemList

__all__ = ["ProblemService", "ProblemView"]


@dataclass(frozen=True, slots=True)
class ProblemView:
    """An unreadable file and the library it is in."""

    problem: Problem
    library: Library

    @property
    def relative_path(self) -> str:
        return self.problem.relative_to(self.library.root)


class ProblemService:
    def __init__(self, problems: ProblemList, libraries: LibraryStore) -> None:
        self._problems = problems
        self._libraries = libraries

    def list(self, page: PageRequest = FIRST_PAGE) -> Page[ProblemView]:
        """Every library's unreadable files (disabled libraries included), by library then
        path."""
        libraries = {lib.id: lib for lib in self._libraries.list()}
        found = self._problems.list(sorted(libraries), page)
        # A library removed between the two reads leaves its rows out of this page only.
        views = [
            ProblemView(p, libraries[p.library_id])
            for p in found.items
            if p.library_id in libraries
        ]
        return Page(views, found.total, page)

    def list_for(self, user: User, page: PageRequest = FIRST_PAGE) -> Page[ProblemView]:
        """``list``, for owners only: it names files of every library. Raises ``Forbidden``
        for anyone else."""
        if user.role is not Role.OWNER:
            raise Forbidden("only an owner may list the files that could not be read")
        return self.list(page)

    def count(self, library: Library) -> int:
        """How many files of ``library`` the index holds as unreadable now."""
        return self._problems.count(library.id)
