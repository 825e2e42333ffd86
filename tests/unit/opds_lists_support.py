"""A scanned library with reading lists imported from CBL files, served by the real app, for
the OPDS tests of reading lists, story arcs and on deck.

Library A (Marvel) holds Civil War #1 and #2 and two copies of Amazing Spider-Man #532;
library B (Secret) holds Secret Wars #1, which the limited user ``kid`` must never reach.
The owner imports two lists from the same CBL books, in this order: Civil War #2, #1,
Amazing Spider-Man #532 (two copies: linked to one), a book no library holds, Civil War #2
again, Secret Wars #1 — once as their own list ("Mine") and once shared ("Event").
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree

import pytest

from bagboard.adapters.readlists.cbl import read_cbl
from bagboard.domain.model import User
from tests.opds2_support import Opds2World
from tests.readlist_support import cbl, write_world
from tests.scanned_world import scanned_world

__all__ = [
    "ATOM_NS",
    "BOOKS",
    "CW1",
    "CW2",
    "SECRET",
    "V1",
    "V2",
    "ListsWorld",
    "atom_ids",
    "lists_world",
    "opds2_ids",
]

V1: Final = "http://testserver/opds/v1.2"
V2: Final = "http://testserver/opds/v2.0"
ATOM_NS: Final = {
    "a": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "pse": "http://vaemendis.net/opds-pse/ns",
}

CW1: Final = "Civil War/Civil War 001.cbz"
CW2: Final = "Civil War/Civil War 002.cbz"
SECRET: Final = "Secret Wars/Secret Wars 001.cbz"
BOOKS: Final = (
    ("Civil War", "2", "2006", "2006"),
    ("Civil War", "1", "2006", "2006"),
    ("Amazing Spider-Man", "532", "", "2006"),
    ("Nobody Reads This", "7", "", ""),
    ("Civil War", "2", "2006", "2006"),
    ("Secret Wars", "1", "", "1984"),
)
SUMMARY: Final = "The superhero registration act"


@dataclass
class ListsWorld(Opds2World):
    mine: int = 0  # the owner's own list
    event: int = 0  # the shared one
    asm: int = 0  # the copy of Amazing Spider-Man #532 the lists link

    def user(self, name: str) -> User:
        return self.app.accounts.user(name)

    def import_list(self, user: User, name: str, *, shared: bool, summary: str = "") -> int:
        parsed = read_cbl(io.BytesIO(cbl(name, BOOKS, summary)))
        report = self.app.reading_lists.import_list(user, parsed, shared=shared)
        linked = [book.comic_id for book in report.books]
        assert linked[3] is None and linked[2] is not None, linked
        self.asm = linked[2]
        return report.reading_list.id

    def marvel(self, relative: str) -> int:
        return self.id_of(relative)

    def secret(self, relative: str) -> int:
        return self.id_of(relative, self.root_b)

    def atom(self, url: str, token: str | None = None) -> ElementTree.Element:
        response = self.get(url, token)
        assert response.status_code == 200, (url, response.text[:300])
        assert response.headers["content-type"].startswith("application/atom+xml;profile=")
        return ElementTree.fromstring(response.content)


def _write(base: Path) -> tuple[Path, Path]:
    marvel, secret = write_world(base)
    return marvel.resolve(), secret.resolve()


@contextmanager
def lists_world(kind: str, tmp: pytest.TempPathFactory) -> Iterator[ListsWorld]:
    with scanned_world(ListsWorld, kind, tmp, _write) as world:
        owner = world.app.accounts.owner()
        world.mine = world.import_list(owner, "Mine", shared=False)
        world.event = world.import_list(owner, "Event", shared=True, summary=SUMMARY)
        yield world


def atom_ids(feed: ElementTree.Element) -> list[str]:
    return [entry.findtext("a:id", "", ATOM_NS) for entry in feed.findall("a:entry", ATOM_NS)]


def opds2_ids(feed: dict[str, Any]) -> list[str]:
    return [pub["metadata"]["identifier"] for pub in feed.get("publications", [])]
