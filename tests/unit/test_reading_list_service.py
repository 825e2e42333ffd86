"""``ReadingListService`` on the memory adapters over real scanned archives: matching on
import, re-import, scoping of what each user sees, resolving after a scan, removal, export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bagboard.config import load_settings
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.errors import Forbidden, NotFound
from bagboard.domain.model import Library, Role, User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.readlist_matching import MatchStatus
from bagboard.domain.readlists import ListBook, ParsedList
from bagboard.library import ComicLibrary
from bagboard.services.reading_lists import ReadingListService
from tests.readlist_support import comic, write_world

ALL = PageRequest(1, 200)
CW1 = ListBook("Civil War", "1", "2006", 2006)
CW2 = ListBook("Civil War", "2", "2006", 2006)
CW3 = ListBook("Civil War", "3", "2006", 2006)
ASM = ListBook("Amazing Spider-Man", "532", None, 2006)
SECRET = ListBook("Secret Wars", "1", None, 1984)
UNKNOWN = ListBook("Nobody Reads This", "7")


@dataclass
class World:
    app: ComicLibrary
    owner: User
    kid: User
    marvel: Library
    secret: Library

    @property
    def service(self) -> ReadingListService:
        return self.app.reading_lists

    def comic_id(self, library: Library, relative: str) -> int:
        found: IndexedComic | None = self.app.container.library_index().comic_at(
            f"{library.root}/{relative}"
        )
        assert found is not None, relative
        return found.id


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    marvel_root, secret_root = write_world(tmp_path)
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path / "data")), memory=True, workers=0
    )
    marvel = app.add_folder(marvel_root, "Marvel")
    secret = app.add_folder(secret_root, "Secret")
    app.scan()
    kid = app.accounts.add_user("kid", Role.READER, [marvel.id])
    yield World(app, app.accounts.owner(), kid, marvel, secret)
    app.close()


def parsed(*books: ListBook, name: str = "Civil War") -> ParsedList:
    return ParsedList(name, "the event", books)


def test_import_reports_matched_ambiguous_and_missing_and_links_each(world: World) -> None:
    report = world.service.import_list(
        world.owner, parsed(CW1, ASM, UNKNOWN, CW2, CW1), shared=False
    )

    assert [b.status for b in report.books] == [
        MatchStatus.MATCHED,
        MatchStatus.AMBIGUOUS,
        MatchStatus.MISSING,
        MatchStatus.MATCHED,
        MatchStatus.MATCHED,
    ]
    assert [b.position for b in report.missing] == [3]
    cw1 = world.comic_id(world.marvel, "Civil War/Civil War 001.cbz")
    asm_a = world.comic_id(world.marvel, "Spider-Man/ASM 532 (a).cbz")
    asm_b = world.comic_id(world.marvel, "Spider-Man 2/ASM 532 (b).cbz")
    # Both copies are reported; the first in issue order (file name "(a)") is linked, though
    # "(b)", scanned first, has the smaller id.
    (ambiguous,) = report.ambiguous
    assert asm_b < asm_a
    assert set(ambiguous.candidates) == {asm_a, asm_b}
    assert ambiguous.comic_id == asm_a
    view = world.service.show(world.owner, report.reading_list.id, ALL)
    assert [e.comic_id for e in view.entries.items][:3] == [cw1, asm_a, None]
    assert view.entries.items[4].comic_id == cw1  # a book named twice is kept twice
    assert view.reading_list.entries == 5
    assert view.reading_list.resolved == 4
    assert view.comics[cw1].path.endswith("Civil War 001.cbz")


def test_reimport_updates_the_list_instead_of_adding_one(world: World) -> None:
    first = world.service.import_list(world.owner, parsed(CW1), shared=False)
    again = world.service.import_list(world.owner, parsed(CW1, CW2), shared=False)

    assert again.reading_list.id == first.reading_list.id
    assert [h.id for h in world.service.lists(world.owner)] == [first.reading_list.id]
    assert world.service.show(world.owner, first.reading_list.id, ALL).entries.total == 2


def test_only_owners_import_shared_lists(world: World) -> None:
    with pytest.raises(Forbidden):
        world.service.import_list(world.kid, parsed(CW1), shared=True)
    shared = world.service.import_list(world.owner, parsed(CW1), shared=True)
    assert shared.reading_list.owner_id is None
    assert [h.id for h in world.service.lists(world.kid)] == [shared.reading_list.id]


def test_a_readers_list_matches_only_comics_the_reader_may_see(world: World) -> None:
    report = world.service.import_list(world.kid, parsed(CW1, SECRET), shared=False)
    assert [b.status for b in report.books] == [MatchStatus.MATCHED, MatchStatus.MISSING]


def test_entries_in_libraries_a_reader_may_not_see_are_shown_unresolved(world: World) -> None:
    report = world.service.import_list(world.owner, parsed(CW1, SECRET), shared=True)
    list_id = report.reading_list.id
    secret_id = world.comic_id(world.secret, "Secret Wars/Secret Wars 001.cbz")

    owner_view = world.service.show(world.owner, list_id, ALL)
    assert owner_view.entries.items[1].comic_id == secret_id
    kid_view = world.service.show(world.kid, list_id, ALL)
    assert kid_view.entries.items[1].comic_id is None
    assert secret_id not in kid_view.comics
    assert kid_view.reading_list.resolved == 1
    (kid_header,) = world.service.lists(world.kid)
    assert kid_header.resolved == 1
    # What the list names is no secret: the export is the file's books.
    assert world.service.export(world.kid, list_id)[2] == [CW1, SECRET]


def test_a_list_imported_before_its_comic_is_scanned_resolves_after_the_scan(
    world: World,
) -> None:
    report = world.service.import_list(world.owner, parsed(CW1, CW3), shared=False)
    assert [b.position for b in report.missing] == [2]

    comic(Path(world.marvel.root), "Civil War/Civil War 003.cbz", "Civil War", "3", "2006", "2006")
    world.app.scan(world.marvel.root)

    cw3 = world.comic_id(world.marvel, "Civil War/Civil War 003.cbz")
    view = world.service.show(world.owner, report.reading_list.id, ALL)
    assert view.entries.items[1].comic_id == cw3
    assert world.service.resolve_pending() == 0  # nothing is left to resolve


def test_resolve_pending_resolves_every_owners_lists_in_one_pass(world: World) -> None:
    lists = [
        world.service.import_list(world.owner, parsed(CW3, name="Own"), shared=False),
        world.service.import_list(world.owner, parsed(CW3, name="Shared"), shared=True),
        world.service.import_list(world.kid, parsed(CW3, SECRET, name="Kid's"), shared=False),
    ]
    comic(Path(world.marvel.root), "Civil War/Civil War 003.cbz", "Civil War", "3", "2006", "2006")
    world.app.scanner().scan(world.marvel)  # a scan with no follow-up: nothing resolved yet

    assert world.service.resolve_pending() == 3
    cw3 = world.comic_id(world.marvel, "Civil War/Civil War 003.cbz")
    firsts = [
        world.service.show(world.owner if i < 2 else world.kid, report.reading_list.id, ALL)
        .entries.items[0]
        .comic_id
        for i, report in enumerate(lists)
    ]
    assert firsts == [cw3, cw3, cw3]


def test_resolve_pending_keeps_a_readers_entries_to_the_readers_libraries(world: World) -> None:
    report = world.service.import_list(world.kid, parsed(SECRET), shared=False)
    assert world.service.resolve_pending() == 0
    view = world.service.show(world.kid, report.reading_list.id, ALL)
    assert view.entries.items[0].comic_id is None


def test_lists_of_others_are_not_found_and_shared_ones_only_owners_remove(world: World) -> None:
    own = world.service.import_list(world.owner, parsed(CW1, name="Mine"), shared=False)
    shared = world.service.import_list(world.owner, parsed(CW1, name="Ours"), shared=True)
    with pytest.raises(NotFound):
        world.service.show(world.kid, own.reading_list.id, ALL)
    with pytest.raises(NotFound):
        world.service.remove(world.kid, own.reading_list.id)
    with pytest.raises(Forbidden):
        world.service.remove(world.kid, shared.reading_list.id)

    kids = world.service.import_list(world.kid, parsed(CW1, name="Kid's"), shared=False)
    world.service.remove(world.kid, kids.reading_list.id)
    world.service.remove(world.owner, shared.reading_list.id)
    assert [h.name for h in world.service.lists(world.kid)] == []
    assert [h.name for h in world.service.lists(world.owner)] == ["Mine"]


def test_export_gives_name_summary_and_books_in_order(world: World) -> None:
    report = world.service.import_list(world.owner, parsed(CW2, UNKNOWN, CW1), shared=False)
    assert world.service.export(world.owner, report.reading_list.id) == (
        "Civil War",
        "the event",
        [CW2, UNKNOWN, CW1],
    )
