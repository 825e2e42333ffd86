"""A catalog feed, whatever the protocol: navigation entries pointing at other feeds and
publications (a comic with this user's reading state), a page of them.

``catalog.py`` decides what each feed holds; ``v1/atom.py`` renders one as OPDS 1.2 and
``v2/documents.py`` as OPDS 2.0, so the two versions can never disagree about what a reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from bagboard.adapters.http.opds.base_url import escape_component
from bagboard.services.issues import IssueDetail

__all__ = [
    "GROUP_SIZE",
    "PAGE_SIZE",
    "REL_NEW",
    "REL_SHELF",
    "REL_SUBSECTION",
    "ROOT",
    "Feed",
    "Group",
    "Kind",
    "NavEntry",
    "Paging",
    "Target",
    "urn",
]


# Entries per feed page; ``?page=`` counts from 1.
PAGE_SIZE: Final = 50
# Publications in each group of the OPDS 2 start page.
GROUP_SIZE: Final = 10

REL_SUBSECTION: Final = "subsection"
REL_NEW: Final = "http://opds-spec.org/sort/new"
REL_SHELF: Final = "http://opds-spec.org/shelf"


class Kind(StrEnum):
    """What a feed holds: links to other feeds, or publications."""

    NAVIGATION = "navigation"
    ACQUISITION = "acquisition"


@dataclass(frozen=True, slots=True)
class Target:
    """A feed of the catalog: its route below the version's root and its query."""

    route: str
    query: tuple[tuple[str, str], ...] = ()

    def with_page(self, page: int) -> Target:
        kept = tuple((k, v) for k, v in self.query if k != "page")
        return Target(self.route, (*kept, ("page", str(page))) if page > 1 else kept)


ROOT: Final = Target("catalog")


@dataclass(frozen=True, slots=True)
class NavEntry:
    id: str
    title: str
    target: Target
    kind: Kind  # of the target
    rel: str = REL_SUBSECTION
    summary: str = ""
    count: int | None = None
    # The comic whose cover stands for the target (a reading list's first comic), if any.
    cover_id: int | None = None


@dataclass(frozen=True, slots=True)
class Paging:
    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    target: Target
    kind: Kind
    updated: datetime
    navigation: tuple[NavEntry, ...] = ()
    publications: tuple[IssueDetail, ...] = ()
    paging: Paging | None = None
    up: Target | None = None
    # The kind of ``up``'s feed, where its route alone does not tell (folders).
    up_kind: Kind | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A titled row of the OPDS 2 start page, with the feed that lists all of it."""

    title: str
    target: Target
    publications: tuple[IssueDetail, ...]


def urn(kind: str, *parts: str) -> str:
    """A stable Atom id: ``urn:bagboard:<kind>:<part>...``, each part percent-escaped."""
    return ":".join(("urn:bagboard", kind, *(escape_component(part) for part in parts)))
