"""``LibraryIndex.comics``: the batch read feeds use, run against every adapter."""

from __future__ import annotations

from bagboard.domain.archive import ArchiveFormat
from bagboard.domain.catalog import ComicEntry, IndexChanges
from bagboard.domain.model import Library
from bagboard.ports.library_index import LibraryIndex
from tests.contract import index_fixtures
from tests.contract.test_library_index import INFO, LATER, add, entry

library_index = index_fixtures.library_index
comics_library = index_fixtures.comics_library
manga_library = index_fixtures.manga_library


def test_comics_reads_many_comics_as_comic_reads_each(
    library_index: LibraryIndex, comics_library: Library, manga_library: Library
) -> None:
    root = comics_library.root
    broken = ComicEntry(f"{root}/broken.cbr", 7, 5, "7:x", ArchiveFormat.RAR, error="corrupt")
    ids = add(
        library_index,
        comics_library,
        entry(f"{root}/Marvel/asm 121.cbz", info=INFO),
        entry(f"{root}/plain.cbz", size=5),
        broken,
    )
    manga = add(library_index, manga_library, entry(f"{manga_library.root}/akira.cbz"))
    wanted = [*ids.values(), *manga.values()]
    found = library_index.comics([*reversed(wanted), 987_654, wanted[0]])
    assert set(found) == set(wanted)  # the unknown id is left out, the repeated one once
    for comic_id, comic in found.items():
        assert comic == library_index.comic(comic_id)
    assert found[ids[f"{root}/Marvel/asm 121.cbz"]].comic_info == INFO
    assert found[ids[broken.path]].error == "corrupt"
    assert library_index.comics([]) == {}
    assert library_index.comics([987_654]) == {}


def test_comics_reads_a_long_list_whole(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    paths = [f"{comics_library.root}/many/{n:04d}.cbz" for n in range(1_500)]
    ids = add(library_index, comics_library, *(entry(path) for path in paths))
    found = library_index.comics(list(ids.values()))
    assert {comic.path for comic in found.values()} == set(paths)
    assert all(found[comic_id].path == path for path, comic_id in ids.items())


def test_comics_read_again_after_an_index_write_show_it(
    library_index: LibraryIndex, comics_library: Library
) -> None:
    # Comics may be remembered between reads (SQL adapters keep them for one index
    # generation): every write must show in the next read, never an earlier state.
    root = comics_library.root
    kept, dropped = f"{root}/Marvel/asm 121.cbz", f"{root}/Marvel/asm 122.cbz"
    ids = add(library_index, comics_library, entry(kept), entry(dropped))
    before = library_index.comics(list(ids.values()))
    assert before[ids[kept]].comic_info is None
    assert library_index.comics(list(ids.values())) == before

    changes = IndexChanges(
        changed=[(ids[kept], entry(kept, size=2222, info=INFO))], removed_comics=[ids[dropped]]
    )
    library_index.apply(comics_library.id, changes, LATER)

    after = library_index.comics(list(ids.values()))
    assert set(after) == {ids[kept]}
    assert (after[ids[kept]].size, after[ids[kept]].comic_info) == (2222, INFO)
