"""Story arcs over real scanned archives, on the memory adapters and SQLite: read from each
comic's ComicInfo by a scan, listed and read in order through ``ReadingOrderService``,
limited to what each user may see, and kept in step by later scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import NotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.library import ComicLibrary
from bagboard.ports.library_index import LibraryIndex
from bagboard.services.reading_orders import ComicList, ListKind, ReadingOrderService
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

ALL = PageRequest(1, 200)


def tagged(root: Path, relative: str, **fields: str) -> Path:
    """A one-page CBZ at ``root/relative`` whose ComicInfo holds ``fields`` (tag: value)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    info = comicinfo_xml(fields)
    return write_cbz(path, {"ComicInfo.xml": info, "001.jpg": jpeg((9, 9, 9))})


def write_event(marvel: Path, other: Path) -> None:
    """Civil War in four parts over two libraries, one part also in a second arc."""
    tagged(marvel, "cw/cw 2.cbz", Series="Civil War", Number="2", StoryArc="Civil War",
           StoryArcNumber="2")  # fmt: skip
    tagged(marvel, "cw/cw 1.cbz", Series="Civil War", Number="1", StoryArc="Civil War",
           StoryArcNumber="1")  # fmt: skip
    tagged(marvel, "asm/asm 532.cbz", Series="Amazing Spider-Man", Number="532",
           StoryArc="Civil War, The Road to Civil War", StoryArcNumber="3, 2")  # fmt: skip
    tagged(marvel, "plain.cbz", Series="Plain", Number="1")
    tagged(other, "cw/cw 4.cbz", Series="Civil War", Number="4", StoryArc="CIVIL WAR",
           StoryArcNumber="4")  # fmt: skip


@dataclass
class World:
    app: ComicLibrary
    owner: User
    kid: User
    marvel: Library
    other: Library

    @property
    def orders(self) -> ReadingOrderService:
        return self.app.reading_orders

    def comic(self, library: Library, relative: str) -> IndexedComic:
        index: LibraryIndex = self.app.container.library_index()
        found = index.comic_at(f"{library.root}/{relative}")
        assert found is not None, relative
        return found

    def arcs(self, user: User) -> list[ComicList]:
        page = self.orders.story_arcs(user, ALL)
        assert page.total == len(page.items)
        return list(page.items)

    def arc(self, user: User, name: str) -> ComicList:
        return next(arc for arc in self.arcs(user) if arc.name == name)

    def paths(self, user: User, arc_id: int) -> list[str]:
        page = self.orders.issues(user, ListKind.STORY_ARC, arc_id, ALL)
        return [item.comic.path.rsplit("/", 2)[-2] + "/" + item.comic.name for item in page.items]


def open_app(data: Path, memory: bool) -> ComicLibrary:
    return ComicLibrary.from_settings(load_settings(data_dir=str(data)), memory=memory, workers=0)


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    marvel_root, other_root = tmp_path / "marvel", tmp_path / "other"
    write_event(marvel_root, other_root)
    app = open_app(tmp_path / "data", request.param == "memory")
    marvel = app.add_folder(marvel_root, "Marvel")
    other = app.add_folder(other_root, "Other")
    app.scan()
    kid = app.accounts.add_user("kid", Role.READER, [marvel.id])
    yield World(app, app.accounts.owner(), kid, marvel, other)
    app.close()


def test_a_scan_reads_arcs_and_they_read_in_arc_order(world: World) -> None:
    arcs = world.arcs(world.owner)
    assert [(arc.kind, arc.name, arc.comics) for arc in arcs] == [
        (ListKind.STORY_ARC, "Civil War", 4),
        (ListKind.STORY_ARC, "The Road to Civil War", 1),
    ]
    civil_war = arcs[0]
    assert world.paths(world.owner, civil_war.id) == [
        "cw/cw 1.cbz",
        "cw/cw 2.cbz",
        "asm/asm 532.cbz",
        "cw/cw 4.cbz",
    ]
    assert civil_war.cover_comic_id == world.comic(world.marvel, "cw/cw 1.cbz").id
    assert world.orders.get(world.owner, ListKind.STORY_ARC, civil_war.id).name == "Civil War"
    asm = world.comic(world.marvel, "asm/asm 532.cbz")
    held = world.orders.containing(world.owner, asm.id)
    assert [(view.kind, view.name) for view in held] == [
        (ListKind.STORY_ARC, "Civil War"),
        (ListKind.STORY_ARC, "The Road to Civil War"),
    ]
    assert world.orders.containing(world.owner, world.comic(world.marvel, "plain.cbz").id) == []


def test_a_reader_sees_only_the_arcs_comics_of_their_libraries(world: World) -> None:
    civil_war = world.arc(world.kid, "Civil War")
    assert civil_war.comics == 3
    assert world.paths(world.kid, civil_war.id) == ["cw/cw 1.cbz", "cw/cw 2.cbz", "asm/asm 532.cbz"]
    # The other library's part is there for the owner, under the arc's usual spelling.
    assert world.arc(world.owner, "Civil War").comics == 4
    other_only = world.comic(world.other, "cw/cw 4.cbz")
    assert world.orders.containing(world.kid, other_only.id) == []
    unknown = max(arc.id for arc in world.arcs(world.owner)) + 1
    with pytest.raises(NotFound):
        world.orders.issues(world.kid, ListKind.STORY_ARC, unknown, ALL)
    with pytest.raises(NotFound):
        world.orders.get(world.kid, ListKind.STORY_ARC, unknown)


def test_a_rescan_follows_retagged_and_removed_comics(world: World, tmp_path: Path) -> None:
    road = world.arc(world.owner, "The Road to Civil War")
    marvel = tmp_path / "marvel"
    tagged(marvel, "asm/asm 532.cbz", Series="Amazing Spider-Man", Number="532",
           StoryArc="Back in Black", StoryArcNumber="1")  # fmt: skip
    (marvel / "cw" / "cw 2.cbz").unlink()
    world.app.scan()
    # One comic per spelling left: the tie goes to the first in code-point order.
    assert [(arc.name, arc.comics) for arc in world.arcs(world.owner)] == [
        ("Back in Black", 1),
        ("CIVIL WAR", 2),
    ]
    civil_war = world.arc(world.owner, "CIVIL WAR")
    assert world.paths(world.owner, civil_war.id) == ["cw/cw 1.cbz", "cw/cw 4.cbz"]
    with pytest.raises(NotFound):
        world.orders.get(world.owner, ListKind.STORY_ARC, road.id)


def test_a_moved_comic_stays_in_its_arcs(world: World, tmp_path: Path) -> None:
    before = world.comic(world.marvel, "cw/cw 1.cbz")
    civil_war = world.arc(world.owner, "Civil War")
    (tmp_path / "marvel" / "events").mkdir()
    (tmp_path / "marvel" / "cw" / "cw 1.cbz").rename(tmp_path / "marvel" / "events" / "one.cbz")
    world.app.scan()
    assert world.comic(world.marvel, "events/one.cbz").id == before.id
    assert world.paths(world.owner, civil_war.id)[0] == "events/one.cbz"
