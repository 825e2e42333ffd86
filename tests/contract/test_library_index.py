"""The LibraryIndex contract, run against every adapter (see ``index_fixtures``)."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime, timedelta

import pytest

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import (
    ComicEntry,
    ComicMove,
    ComicPlace,
    FolderEntry,
    IndexChanges,
    IndexedComic,
    IndexSummary,
    KnownComic,
    KnownFolder,
)
from bagboard.domain.comicinfo import ComicInfo, ComicPageInfo
from bagboard.domain.errors import InvalidInput
from bagboard.domain.kosync import name_md5
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from tests.contract import index_fixtures

# The parametrised fixtures live apart so the SQL suites can share them; bound here by name.
library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ADDED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
LATER = AT + timedelta(days=1)
INFO = ComicInfo(
    title="The Night Gwen Stacy Died",
    series="Amazing Spider-Man",
    number="121",
    year="1973",
    publisher="Marvel",
    page_count=2,
    pages=(ComicPageInfo(0, type="FrontCover"), ComicPageInfo(1)),
)


def folders_for(library: Library, *paths: str) -> list[FolderEntry]:
    """The root and every folder leading to the folders of ``paths``, parents first."""
    found = {library.root: 0}
    for path in paths:
        relative = posixpath.relpath(path, library.root).split("/")
        for depth in range(1, len(relative) + 1):
            found[posixpath.join(library.root, *relative[:depth])] = depth
    return [FolderEntry(path, depth, mtime_ns=10 + depth) for path, depth in found.items()]


def entry(path: str, *, size: int = 1000, info: ComicInfo | None = None) -> ComicEntry:
    return ComicEntry(
        path=path,
        size=size,
        mtime_ns=1_700_000_000_123_456_789,
        fingerprint=f"{size}:{posixpath.basename(path)}",
        format=ArchiveFormat.ZIP,
        page_count=2,
        comic_info=info,
        kosync_md5=name_md5(path),  # any 32 hex digits: what a scan reads from the file
    )


def add(index: LibraryIndex, library: Library, *entries: ComicEntry) -> dict[str, int]:
    """Index ``entries`` (and their folders); returns their ids by path."""
    folders = folders_for(library, *{e.folder_path for e in entries})
    index.apply(library.id, IndexChanges(folders=folders, added=[(e, ADDED) for e in entries]), AT)
    comics = index.snapshot(library.id).comics
    return {e.path: comics[e.path].id for e in entries}


def test_an_unknown_library_has_an_empty_snapshot(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    snapshot = library_index.snapshot(comics_library.id)
    assert (snapshot.folders, snapshot.comics, snapshot.last_scan_at) == ({}, {}, None)


def test_the_snapshot_returns_what_was_applied(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    good = entry(f"{root}/Marvel/Spider-Man/asm 121.cbz", info=INFO)
    bad = ComicEntry(
        f"{root}/Marvel/broken.cbr",
        7,
        5,
        "7:x",
        ArchiveFormat.RAR,
        error="corrupt",
        kosync_md5=name_md5("broken.cbr"),
    )
    folders = [
        FolderEntry(root, 0, 100, comic_count=2),
        FolderEntry(f"{root}/Marvel", 1, 200, has_thumbnail=True, comic_count=2),
        FolderEntry(f"{root}/Marvel/Spider-Man", 2, 300, comic_count=1),
    ]
    changes = IndexChanges(folders=folders, added=[(good, ADDED), (bad, ADDED)])
    library_index.apply(comics_library.id, changes, AT)

    snapshot = library_index.snapshot(comics_library.id)
    assert {
        path: (f.depth, f.mtime_ns, f.has_thumbnail, f.comic_count)
        for path, f in snapshot.folders.items()
    } == {
        root: (0, 100, False, 2),
        f"{root}/Marvel": (1, 200, True, 2),
        f"{root}/Marvel/Spider-Man": (2, 300, False, 1),
    }
    assert all(f.path == path for path, f in snapshot.folders.items())
    assert len({f.id for f in snapshot.folders.values()}) == 3
    known = snapshot.comics
    assert set(known) == {good.path, bad.path}
    assert known[good.path] == KnownComic(
        known[good.path].id, good.path, good.size, good.mtime_ns, good.fingerprint, None
    )
    assert known[bad.path] == KnownComic(known[bad.path].id, bad.path, 7, 5, "7:x", "corrupt")
    assert known[good.path].id != known[bad.path].id


def test_comic_and_comic_at_return_the_indexed_comic(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    path = f"{comics_library.root}/Marvel/Spider-Man/asm 121.cbz"
    ids = add(library_index, comics_library, entry(path, info=INFO))
    expected = IndexedComic(
        id=ids[path],
        library_id=comics_library.id,
        path=path,
        size=1000,
        mtime_ns=1_700_000_000_123_456_789,
        format=ArchiveFormat.ZIP,
        added_at=ADDED,
        page_count=2,
        comic_info=INFO,
    )
    assert library_index.comic(ids[path]) == expected
    assert library_index.comic_at(path) == expected
    assert library_index.comic(ids[path] + 1000) is None
    assert library_index.comic_at(f"{comics_library.root}/nothing.cbz") is None
    assert library_index.place_at(path) == ComicPlace(ids[path], comics_library.id, path)
    assert library_index.place_at(f"{comics_library.root}/nothing.cbz") is None


def test_an_unreadable_comic_keeps_its_error(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    path = f"{comics_library.root}/broken.cbz"
    broken = ComicEntry(path, 3, 4, "3:abc", ArchiveFormat.ZIP, error="not a zip file")
    add(library_index, comics_library, broken)
    comic = library_index.comic_at(path)
    assert comic is not None
    assert (comic.error, comic.page_count, comic.comic_info) == ("not a zip file", 0, None)


def test_a_changed_comic_keeps_its_id_and_added_at(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    path = f"{comics_library.root}/Marvel/x.cbz"
    ids = add(library_index, comics_library, entry(path))
    rewritten = entry(path, size=2222, info=INFO)
    library_index.apply(comics_library.id, IndexChanges(changed=[(ids[path], rewritten)]), LATER)

    comic = library_index.comic(ids[path])
    assert comic is not None
    assert (comic.size, comic.comic_info, comic.added_at) == (2222, INFO, ADDED)
    assert library_index.snapshot(comics_library.id).comics[path].fingerprint == "2222:x.cbz"


def test_a_moved_comic_keeps_its_id_and_added_at(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    old, new = f"{root}/Incoming/x.cbz", f"{root}/Marvel/X/x 001.cbz"
    ids = add(library_index, comics_library, entry(old, info=INFO))
    changes = IndexChanges(
        folders=folders_for(comics_library, new),
        moved=[ComicMove(ids[old], entry(new, info=INFO))],
    )
    library_index.apply(comics_library.id, changes, LATER)

    moved = library_index.comic_at(new)
    assert moved is not None
    assert (moved.id, moved.added_at, moved.comic_info) == (ids[old], ADDED, INFO)
    assert library_index.comic_at(old) is None
    assert library_index.place_at(new) == ComicPlace(ids[old], comics_library.id, new)
    assert library_index.place_at(old) is None
    assert set(library_index.snapshot(comics_library.id).comics) == {new}


def test_a_move_out_of_a_folder_removed_in_the_same_batch(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    old, new = f"{root}/Old/x.cbz", f"{root}/New/x.cbz"
    ids = add(library_index, comics_library, entry(old))
    changes = IndexChanges(
        folders=[FolderEntry(f"{root}/New", 1, 5)],
        moved=[ComicMove(ids[old], entry(new))],
        removed_folders=[f"{root}/Old"],
    )
    library_index.apply(comics_library.id, changes, LATER)
    assert set(library_index.snapshot(comics_library.id).folders) == {root, f"{root}/New"}
    assert library_index.comic_at(new) is not None


def test_removed_comics_are_gone_and_their_ids_never_come_back(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    a, b = f"{root}/a.cbz", f"{root}/b.cbz"
    ids = add(library_index, comics_library, entry(a), entry(b))
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[ids[b]]), LATER)

    assert library_index.comic(ids[b]) is None
    assert library_index.comic_at(b) is None
    assert set(library_index.snapshot(comics_library.id).comics) == {a}
    again = add(library_index, comics_library, entry(b))
    assert again[b] not in ids.values()


def test_a_path_freed_by_a_removal_can_be_taken_in_the_same_batch(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    path = f"{comics_library.root}/x.cbz"
    ids = add(library_index, comics_library, entry(path))
    changes = IndexChanges(added=[(entry(path, size=5), LATER)], removed_comics=[ids[path]])
    library_index.apply(comics_library.id, changes, LATER)
    comic = library_index.comic_at(path)
    assert comic is not None
    assert (comic.size, comic.added_at) == (5, LATER)
    assert comic.id != ids[path]


def test_folders_are_upserted_by_path(library_index: LibraryIndex, comics_library: Library) -> None:
    root = comics_library.root
    library_index.apply(
        comics_library.id,
        IndexChanges(folders=[FolderEntry(root, 0, 1), FolderEntry(f"{root}/DC", 1, 2)]),
        AT,
    )
    before = library_index.snapshot(comics_library.id).folders[f"{root}/DC"]
    updated = FolderEntry(f"{root}/DC", 1, 99, has_thumbnail=True, comic_count=7)
    library_index.apply(comics_library.id, IndexChanges(folders=[updated]), LATER)

    after = library_index.snapshot(comics_library.id).folders[f"{root}/DC"]
    assert after == KnownFolder(before.id, f"{root}/DC", 1, 99, True, 7)


def test_removed_folders_are_gone(library_index: LibraryIndex, comics_library: Library) -> None:
    root = comics_library.root
    folders = [FolderEntry(root, 0, 1), FolderEntry(f"{root}/A", 1, 1)]
    folders.append(FolderEntry(f"{root}/A/B", 2, 1))
    library_index.apply(comics_library.id, IndexChanges(folders=folders), AT)
    # Listed parent first: the index removes children before their parents anyway.
    removal = IndexChanges(removed_folders=[f"{root}/A", f"{root}/A/B"])
    library_index.apply(comics_library.id, removal, LATER)
    assert set(library_index.snapshot(comics_library.id).folders) == {root}


def test_finish_scan_sets_last_scan_at_per_library(
    library_index: LibraryIndex, comics_library: Library, manga_library: Library
) -> None:
    library_index.finish_scan(comics_library.id, AT)
    assert library_index.snapshot(comics_library.id).last_scan_at == AT
    assert library_index.snapshot(manga_library.id).last_scan_at is None
    library_index.finish_scan(comics_library.id, LATER)
    assert library_index.snapshot(comics_library.id).last_scan_at == LATER


def test_the_summary_counts_a_library_without_reading_its_comics(
    library_index: LibraryIndex, comics_library: Library, manga_library: Library
) -> None:
    assert library_index.summary(comics_library.id) == IndexSummary(0, 0, None)
    root = comics_library.root
    good = entry(f"{root}/a.cbz")
    also = entry(f"{root}/b.cbz")
    bad = ComicEntry(f"{root}/c.cbr", 7, 5, "7:x", ArchiveFormat.RAR, error="corrupt")
    changes = IndexChanges(
        folders=[FolderEntry(root, 0, 100, comic_count=3)],
        added=[(good, ADDED), (also, ADDED), (bad, ADDED)],
    )
    library_index.apply(comics_library.id, changes, AT)
    assert library_index.summary(comics_library.id) == IndexSummary(2, 1, None)
    library_index.finish_scan(comics_library.id, LATER)
    assert library_index.summary(comics_library.id) == IndexSummary(2, 1, LATER)
    assert library_index.summary(manga_library.id) == IndexSummary(0, 0, None)
    removed = library_index.comic_at(bad.path)
    assert removed is not None
    library_index.apply(comics_library.id, IndexChanges(removed_comics=[removed.id]), LATER)
    assert library_index.summary(comics_library.id) == IndexSummary(2, 0, LATER)


def test_libraries_are_indexed_apart(
    library_index: LibraryIndex, comics_library: Library, manga_library: Library
) -> None:
    comic_ids = add(library_index, comics_library, entry(f"{comics_library.root}/a.cbz"))
    manga_ids = add(library_index, manga_library, entry(f"{manga_library.root}/b.cbz"))
    assert set(library_index.snapshot(comics_library.id).comics) == set(comic_ids)
    assert set(library_index.snapshot(manga_library.id).comics) == set(manga_ids)
    manga = library_index.comic(*manga_ids.values())
    assert manga is not None
    assert manga.library_id == manga_library.id
    # A removal names the library, so it never reaches into another one.
    removal = IndexChanges(removed_comics=list(manga_ids.values()))
    library_index.apply(comics_library.id, removal, LATER)
    assert set(library_index.snapshot(manga_library.id).comics) == set(manga_ids)


def test_a_folder_needs_its_parent_indexed_first(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    orphan = FolderEntry(f"{comics_library.root}/A/B", 2, 1)
    with pytest.raises(InvalidInput):
        library_index.apply(comics_library.id, IndexChanges(folders=[orphan]), AT)


def test_a_comic_needs_its_folder_indexed_first(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    changes = IndexChanges(added=[(entry(f"{comics_library.root}/A/x.cbz"), ADDED)])
    with pytest.raises(InvalidInput):
        library_index.apply(comics_library.id, changes, AT)


def test_a_folder_that_still_holds_comics_cannot_be_removed(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    add(library_index, comics_library, entry(f"{comics_library.root}/A/x.cbz"))
    removal = IndexChanges(removed_folders=[f"{comics_library.root}/A"])
    with pytest.raises(InvalidInput):
        library_index.apply(comics_library.id, removal, LATER)
