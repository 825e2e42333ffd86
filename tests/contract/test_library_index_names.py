"""The LibraryIndex contract for metadata filled from names: what was filled, and from where,
comes back as written, and a move rewrites it (every adapter, see ``index_fixtures``)."""

from __future__ import annotations

from dataclasses import replace

from bagboard.domain.catalog import ComicMove, IndexChanges
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from tests.contract import index_fixtures
from tests.contract.test_library_index import LATER, add, entry, folders_for

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library

NAMED = ComicInfo(series="Saga", number="1", publisher="Unknown publisher", writer="BKV")
SOURCES = (("series", "folder"), ("number", "file name"), ("publisher", "fallback"))


def test_filled_values_and_their_sources_come_back(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    untagged = replace(entry(f"{root}/Saga/001.cbz", info=NAMED), tagged=False, sources=SOURCES)
    tagged = replace(entry(f"{root}/Saga/002.cbz", info=NAMED), sources=SOURCES[1:])
    plain = entry(f"{root}/Saga/003.cbz", info=ComicInfo(series="Saga", publisher="Image"))
    ids = add(library_index, comics_library, untagged, tagged, plain)

    read = library_index.comics(list(ids.values()))
    first, second, third = (read[ids[e.path]] for e in (untagged, tagged, plain))
    assert (first.comic_info, first.sources, first.has_comicinfo) == (NAMED, SOURCES, False)
    assert (second.comic_info, second.sources, second.has_comicinfo) == (NAMED, SOURCES[1:], True)
    assert (third.sources, third.has_comicinfo) == ((), True)
    # Everything the index holds was written with its names filled.
    assert all(known.named for known in library_index.snapshot(comics_library.id).comics.values())


def test_a_move_rewrites_what_names_filled(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    root = comics_library.root
    old = replace(entry(f"{root}/Saga/001.cbz", info=NAMED), tagged=False, sources=SOURCES)
    ids = add(library_index, comics_library, old)
    moved_info = replace(NAMED, series="Saga Deluxe")
    new = replace(old, path=f"{root}/Saga Deluxe/001.cbz", comic_info=moved_info)
    changes = IndexChanges(
        folders=folders_for(comics_library, new.folder_path),
        moved=[ComicMove(ids[old.path], new)],
    )
    library_index.apply(comics_library.id, changes, LATER)
    comic = library_index.comic(ids[old.path])
    assert comic is not None
    assert (comic.path, comic.comic_info, comic.sources) == (new.path, moved_info, SOURCES)
