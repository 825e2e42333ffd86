"""The ComicDocuments contract: KOReader's document ids of comics, as a scan of real archives
on disk writes them into each index adapter (memory, SQLite, PostgreSQL) and the matching
``ComicDocuments`` reads them back."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bagboard.adapters.archive import FileArchiveReader
from bagboard.adapters.filesystem.tree import LocalFileTree
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.documents import MemoryComicDocuments
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.storage import SqlLibraryIndex
from bagboard.adapters.storage.db.tables import comics
from bagboard.adapters.storage.index.documents import SqlComicDocuments
from bagboard.domain.archive import ArchiveSummary
from bagboard.domain.files import FileDigests
from bagboard.domain.kosync import name_md5, partial_md5
from bagboard.domain.model import Library
from bagboard.ports.comic_documents import ComicDocuments, DocumentMatches
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.services.scan.scanner import Scanner
from tests.archive_factory import comicinfo_xml, jpeg, write_cb7, write_cbz
from tests.contract.conftest import Backend

START = datetime(2030, 1, 1, tzinfo=UTC)


class CountingTree(LocalFileTree):
    """The disk, counting every read of a file's content."""

    def __init__(self) -> None:
        self.reads: Counter[str] = Counter()

    def digests(self, path: str) -> FileDigests | None:
        self.reads[path] += 1
        return super().digests(path)

    def kosync_md5(self, path: str) -> str | None:
        self.reads[path] += 1
        return super().kosync_md5(path)


class CountingReader(FileArchiveReader):
    """The archive reader, counting the archives it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: Counter[str] = Counter()

    def inspect(self, path: str) -> ArchiveSummary:
        self.opened[path] += 1
        return super().inspect(path)


@dataclass
class World:
    root: Path
    library: Library
    index: LibraryIndex
    documents: ComicDocuments
    backend: Backend
    tree: CountingTree
    reader: CountingReader
    clock: ManualClock

    def scan(self) -> None:
        self.tree.reads.clear()
        self.reader.opened.clear()
        self.clock.advance(timedelta(minutes=1))
        Scanner(self.index, self.tree, self.reader, self.clock).scan(self.library)

    def id_at(self, relative: str) -> int:
        comic = self.index.comic_at(str(self.root / relative))
        assert comic is not None, relative
        return comic.id

    def forget_documents(self) -> None:
        """Make the index look as one written before migration 0016 left it."""
        if isinstance(self.index, MemoryLibraryIndex):
            self.index.forget_documents(self.library.id)
            return
        assert self.backend.engine is not None
        with self.backend.engine.begin() as conn:
            conn.execute(update(comics).values(kosync_md5=None, name_md5=None, kosync_pages=None))


@pytest.fixture
def world(backend: Backend, library_store: LibraryStore, tmp_path: Path) -> World:
    root = tmp_path / "comics"
    root.mkdir()
    library = library_store.add("Comics", str(root))
    memory = MemoryLibraryIndex()
    index: LibraryIndex = backend.pick(lambda: memory, SqlLibraryIndex)
    documents: ComicDocuments = backend.pick(
        lambda: MemoryComicDocuments(memory), SqlComicDocuments
    )
    return World(
        root, library, index, documents, backend, CountingTree(), CountingReader(), ManualClock()
    )


_MTIME = [1_700_000_000]


def comic(path: Path, *, series: str = "", extra: dict[str, bytes] | None = None) -> Path:
    """A real CBZ with two pages (and a ComicInfo.xml naming ``series``, if given), given a
    fresh mtime so a rewrite in place is seen as a change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    members = {"p1.jpg": jpeg((200, 0, 0)), "p2.jpg": jpeg((0, 200, 0)), **(extra or {})}
    if series:
        members["ComicInfo.xml"] = comicinfo_xml({"Series": series})
    write_cbz(path, members)
    _MTIME[0] += 60
    os.utime(path, (_MTIME[0], _MTIME[0]))
    return path


def content_id(path: Path) -> str:
    with path.open("rb") as file:
        return partial_md5(file)


def test_a_comic_is_found_by_its_content_and_by_its_name(world: World) -> None:
    saga = comic(world.root / "Saga" / "Saga 001 (2012).cbz", series="Saga")
    other = comic(world.root / "Other" / "Other 1.cbz", series="Other")
    world.scan()
    saga_id, other_id = world.id_at("Saga/Saga 001 (2012).cbz"), world.id_at("Other/Other 1.cbz")

    assert world.documents.find(content_id(saga)) == DocumentMatches(by_content=(saga_id,))
    assert world.documents.find(content_id(other)) == DocumentMatches(by_content=(other_id,))
    by_name = world.documents.find("8d17d0bc645d8cd63e09e66fecca73ca")
    assert by_name == DocumentMatches(by_name=(saga_id,))
    # Case does not matter; anything but an MD5 names nothing.
    assert world.documents.find(content_id(saga).upper()).by_content == (saga_id,)
    assert world.documents.find("0" * 32) == DocumentMatches()
    assert world.documents.find("Saga 001 (2012).cbz") == DocumentMatches()
    assert world.documents.find("") == DocumentMatches()


def test_copies_and_namesakes_are_all_found(world: World) -> None:
    first = comic(world.root / "A" / "Issue 1.cbz", series="Same")
    shutil.copyfile(first, world.root / "A" / "Copy.cbz")
    comic(world.root / "B" / "Issue 1.cbz", series="Different")
    world.scan()
    a, copy, b = (world.id_at(p) for p in ("A/Issue 1.cbz", "A/Copy.cbz", "B/Issue 1.cbz"))

    assert world.documents.find(content_id(first)).by_content == tuple(sorted((a, copy)))
    assert world.documents.find(name_md5("Issue 1.cbz")).by_name == tuple(sorted((a, b)))


def test_a_rewritten_file_keeps_its_first_id_as_an_alias(world: World) -> None:
    path = comic(world.root / "Saga" / "Saga 1.cbz", series="Saga")
    world.scan()
    comic_id = world.id_at("Saga/Saga 1.cbz")
    first = content_id(path)

    comic(path, series="Saga (retagged)")  # a ComicInfo rewrite: new bytes, same comic
    world.scan()
    second = content_id(path)
    assert second != first
    assert world.id_at("Saga/Saga 1.cbz") == comic_id
    assert world.documents.find(first) == DocumentMatches(by_content=(comic_id,))
    assert world.documents.find(second) == DocumentMatches(by_content=(comic_id,))

    comic(path, series="Saga")  # back to the first content: both ids still name it, once
    world.scan()
    assert content_id(path) == first
    assert world.documents.find(first) == DocumentMatches(by_content=(comic_id,))
    assert world.documents.find(second) == DocumentMatches(by_content=(comic_id,))


def test_a_renamed_comic_keeps_its_content_id_and_gets_its_new_name_id(world: World) -> None:
    tagged = comic(world.root / "Saga" / "Saga 1.cbz", series="Saga")
    untagged = comic(world.root / "Loose" / "Loose 1.cbz")  # its metadata comes from its names
    world.scan()
    tagged_id, untagged_id = world.id_at("Saga/Saga 1.cbz"), world.id_at("Loose/Loose 1.cbz")
    tagged_content, untagged_content = content_id(tagged), content_id(untagged)

    tagged.rename(world.root / "Saga" / "Saga #1.cbz")
    (world.root / "Loose").rename(world.root / "Strays")
    (world.root / "Strays" / "Loose 1.cbz").rename(world.root / "Strays" / "Stray 1.cbz")
    world.scan()
    assert not world.reader.opened  # trusted moves: no archive opened
    assert world.id_at("Saga/Saga #1.cbz") == tagged_id
    assert world.id_at("Strays/Stray 1.cbz") == untagged_id

    assert world.documents.find(tagged_content) == DocumentMatches(by_content=(tagged_id,))
    assert world.documents.find(untagged_content) == DocumentMatches(by_content=(untagged_id,))
    assert world.documents.find(name_md5("Saga 1.cbz")) == DocumentMatches()
    assert world.documents.find(name_md5("Loose 1.cbz")) == DocumentMatches()
    assert world.documents.find(name_md5("Saga #1.cbz")).by_name == (tagged_id,)
    assert world.documents.find(name_md5("Stray 1.cbz")).by_name == (untagged_id,)


def test_a_removed_comic_is_found_by_none_of_its_ids(world: World) -> None:
    path = comic(world.root / "Saga" / "Saga 1.cbz", series="Saga")
    world.scan()
    first = content_id(path)
    comic(path, series="Saga (retagged)")
    world.scan()
    second = content_id(path)
    assert world.documents.find(first).by_content  # an alias by now

    path.unlink()
    world.scan()
    for document in (first, second, name_md5("Saga 1.cbz")):
        assert world.documents.find(document) == DocumentMatches()


def test_comics_indexed_without_ids_get_them_without_opening_an_archive(world: World) -> None:
    forked = {"__MACOSX/._p1.jpg": b"\0\5\26\7", "p3.webp": jpeg((0, 0, 200))}
    saga = comic(world.root / "Saga" / "Saga 1.cbz", series="Saga", extra=forked)
    loose = comic(world.root / "Loose" / "Loose 1.cbz")
    world.scan()
    saga_id, loose_id = world.id_at("Saga/Saga 1.cbz"), world.id_at("Loose/Loose 1.cbz")
    world.forget_documents()
    assert world.documents.find(content_id(saga)) == DocumentMatches()
    assert world.documents.find(name_md5("Loose 1.cbz")) == DocumentMatches()

    world.scan()  # nothing changed on disk
    assert not world.reader.opened
    assert set(world.tree.reads) == {str(saga), str(loose)}  # the partial MD5 only
    assert world.documents.find(content_id(saga)) == DocumentMatches(by_content=(saga_id,))
    assert world.documents.find(content_id(loose)) == DocumentMatches(by_content=(loose_id,))
    assert world.documents.find(name_md5("Saga 1.cbz")).by_name == (saga_id,)
    assert world.documents.find(name_md5("Loose 1.cbz")).by_name == (loose_id,)

    world.scan()  # every comic has its ids: nothing is read at all
    assert not world.tree.reads
    assert not world.reader.opened


def page_map(world: World, comic_id: int) -> tuple[int, ...] | None:
    indexed = world.index.comic(comic_id)
    assert indexed is not None
    return indexed.kosync_pages


def test_the_page_map_follows_mupdf_where_it_differs_from_ours(world: World) -> None:
    forked = comic(
        world.root / "Saga" / "Saga 1.cbz",
        extra={"__MACOSX/._p1.jpg": b"\0\5\26\7", "p15.webp": jpeg((0, 0, 200))},
    )
    comic(world.root / "Saga" / "Saga 2.cbz")
    members = {"p1.jpg": jpeg((1, 2, 3)), "__MACOSX/._p1.jpg": b"\0\5\26\7"}
    write_cb7(world.root / "Saga" / "Saga 3.cb7", members)
    world.scan()
    forked_id, plain_id, seven_id = (
        world.id_at(f"Saga/Saga {n}.{ext}") for n, ext in ((1, "cbz"), (2, "cbz"), (3, "cb7"))
    )

    # Ours: p1, p2, p15.webp. KOReader's: p1, p2, the resource fork; no WebP.
    assert page_map(world, forked_id) == (1, 2, 0)
    assert page_map(world, plain_id) is None
    assert page_map(world, seven_id) is None  # KOReader pages no CB7 through MuPDF
    assert world.index.comic(10_000) is None

    forked.rename(world.root / "Saga" / "Saga 1 (moved).cbz")  # a trusted move keeps it
    world.scan()
    assert not world.reader.opened
    assert page_map(world, forked_id) == (1, 2, 0)
