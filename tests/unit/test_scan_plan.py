"""The pure rules of a scan, with literals: comparison, move matching, counts, dating."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bagboard.domain.catalog import FolderEntry, KnownComic, KnownFolder
from bagboard.domain.files import (
    ComicFile,
    fingerprint,
    fingerprint_sample,
    is_comic_name,
    is_ignored_name,
    library_path,
)
from bagboard.services.scan.plan import (
    SeenFolder,
    added_at,
    compare,
    depth_of,
    folder_entries,
    folders_to_remove,
    folders_to_write,
    match_moves,
    recursive_counts,
)
from bagboard.services.scan.progress import ScanPhase, ScanProgress
from bagboard.services.scan.scanner import ScanReport

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def known(comic_id: int, path: str, fp: str = "", size: int = 10, mtime: int = 1) -> KnownComic:
    return KnownComic(comic_id, path, size, mtime, fp or f"fp-{comic_id}")


def test_compare_sorts_files_against_the_snapshot() -> None:
    seen = {
        "/l/same.cbz": ComicFile("/l/same.cbz", 10, 1),
        "/l/bigger.cbz": ComicFile("/l/bigger.cbz", 11, 1),
        "/l/touched.cbz": ComicFile("/l/touched.cbz", 10, 2),
        "/l/new.cbz": ComicFile("/l/new.cbz", 10, 1),
    }
    index = {
        p: known(i, p) for i, p in enumerate(["/l/same.cbz", "/l/bigger.cbz", "/l/touched.cbz"])
    }
    index["/l/gone.cbz"] = known(9, "/l/gone.cbz")
    found = compare(seen, index)
    assert [f.path for f in found.unchanged] == ["/l/same.cbz"]
    assert [f.path for _, f in found.changed] == ["/l/bigger.cbz", "/l/touched.cbz"]
    assert [f.path for f in found.new] == ["/l/new.cbz"]
    assert [k.id for k in found.missing] == [9]


def test_moves_pair_equal_fingerprints_one_to_one() -> None:
    missing = [known(1, "/l/a/x.cbz", "F"), known(2, "/l/b/y.cbz", "G")]
    new = [("/l/c/renamed.cbz", "F"), ("/l/c/copy.cbz", "F"), ("/l/c/other.cbz", "H")]
    assert match_moves(new, missing) == {"/l/c/copy.cbz": missing[0]}


def test_moves_prefer_the_same_base_name() -> None:
    # Two identical files went missing and two arrived: each keeps its own name's comic.
    missing = [known(1, "/l/old/a.cbz", "F"), known(2, "/l/old/b.cbz", "F")]
    new = [("/l/new/b.cbz", "F"), ("/l/new/a.cbz", "F")]
    moves = match_moves(new, missing)
    assert {path: comic.id for path, comic in moves.items()} == {
        "/l/new/a.cbz": 1,
        "/l/new/b.cbz": 2,
    }


def test_moves_prefer_the_same_name_in_a_folder_of_the_same_name() -> None:
    # Path order alone would pair B/old with A/new.
    missing = [known(1, "/l/A/new/a.cbz", "F"), known(2, "/l/A/old/a.cbz", "F")]
    new = [("/l/B/old/a.cbz", "F"), ("/l/C/new/a.cbz", "F")]
    moves = match_moves(new, missing)
    assert {path: comic.id for path, comic in moves.items()} == {
        "/l/B/old/a.cbz": 2,
        "/l/C/new/a.cbz": 1,
    }


def test_moves_pair_the_rest_in_path_order() -> None:
    missing = [known(1, "/l/old/z.cbz", "F"), known(2, "/l/old/a.cbz", "F")]
    new = [("/l/new/a.cbz", "F"), ("/l/new/m.cbz", "F"), ("/l/new/n.cbz", "F")]
    moves = match_moves(new, missing)
    assert {path: comic.id for path, comic in moves.items()} == {
        "/l/new/a.cbz": 2,
        "/l/new/m.cbz": 1,
    }


def test_comics_without_a_fingerprint_never_move() -> None:
    missing = [KnownComic(1, "/l/a.cbz", 1, 1, "")]
    assert match_moves([("/l/b.cbz", "")], missing) == {}


def test_the_first_scan_dates_comics_by_mtime_never_after_now() -> None:
    in_2015 = int(datetime(2015, 3, 4, 5, 6, 7, tzinfo=UTC).timestamp()) * 1_000_000_000
    in_2035 = int(datetime(2035, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000_000
    assert added_at(in_2015, NOW, first_scan=True) == datetime(2015, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert added_at(in_2035, NOW, first_scan=True) == NOW
    assert added_at(10**30, NOW, first_scan=True) == NOW  # no calendar holds it


def test_later_scans_date_new_comics_now() -> None:
    in_2015 = int(datetime(2015, 3, 4, tzinfo=UTC).timestamp()) * 1_000_000_000
    assert added_at(in_2015, NOW, first_scan=False) == NOW


def test_depth_counts_levels_below_the_root() -> None:
    assert depth_of("/srv/comics", "/srv/comics") == 0
    assert depth_of("/srv/comics/Marvel", "/srv/comics") == 1
    assert depth_of("/srv/comics/Marvel/X/v1", "/srv/comics") == 3
    assert depth_of("/Marvel/X", "/") == 2


def test_counts_are_recursive_at_every_depth() -> None:
    folders = ["/l", "/l/M", "/l/M/X", "/l/M/X/v1", "/l/M/X/v2", "/l/M/Y", "/l/D", "/l/E"]
    comics = [
        "/l/loose.cbz",
        "/l/M/X/v1/1.cbz",
        "/l/M/X/v1/2.cbz",
        "/l/M/X/v2/1.cbz",
        "/l/M/Y/1.cbz",
        "/l/D/1.cbz",
        "/elsewhere/1.cbz",
    ]
    assert recursive_counts(folders, comics) == {
        "/l": 6,
        "/l/M": 4,
        "/l/M/X": 3,
        "/l/M/X/v1": 2,
        "/l/M/X/v2": 1,
        "/l/M/Y": 1,
        "/l/D": 1,
        "/l/E": 0,
    }


@given(
    st.lists(
        st.lists(st.sampled_from("abc"), min_size=0, max_size=4).map(lambda p: "/r/" + "/".join(p)),
        max_size=30,
    )
)
def test_every_count_is_its_direct_comics_plus_its_subfolders(paths: list[str]) -> None:
    comics = [p.rstrip("/") + "/x.cbz" for p in paths]
    folders = {"/r"}
    for comic in comics:
        folder = posixpath.dirname(comic)
        while folder != "/":
            folders.add(folder)
            folder = posixpath.dirname(folder)
    counts = recursive_counts(folders, comics)
    assert counts["/r"] == len(comics)
    for folder in folders:
        direct = sum(posixpath.dirname(c) == folder for c in comics)
        below = sum(counts[f] for f in folders if f != folder and posixpath.dirname(f) == folder)
        assert counts[folder] == direct + below


def test_folder_entries_come_parents_first_with_depth_and_counts() -> None:
    seen = {
        "/l/M/X": SeenFolder(3, False),
        "/l": SeenFolder(1, False),
        "/l/M": SeenFolder(2, True),
    }
    assert folder_entries("/l", seen, ["/l/M/X/1.cbz", "/l/M/X/2.cbz"]) == [
        FolderEntry("/l", 0, 1, False, 2),
        FolderEntry("/l/M", 1, 2, True, 2),
        FolderEntry("/l/M/X", 2, 3, False, 2),
    ]


def test_only_changed_folders_are_written() -> None:
    entries = [
        FolderEntry("/l", 0, 1, False, 2),
        FolderEntry("/l/A", 1, 2, False, 1),
        FolderEntry("/l/B", 1, 3, True, 1),
        FolderEntry("/l/C", 1, 4, False, 0),
    ]
    index = {
        "/l": KnownFolder(1, "/l", 0, 1, False, 2),
        "/l/A": KnownFolder(2, "/l/A", 1, 2, False, 5),  # count differs
        "/l/B": KnownFolder(3, "/l/B", 1, 3, False, 1),  # thumbnail appeared
    }
    assert [e.path for e in folders_to_write(entries, index)] == ["/l/A", "/l/B", "/l/C"]


def test_vanished_folders_are_removed_children_first() -> None:
    index = {
        path: KnownFolder(i, path, path.count("/") - 1, 1, False, 0)
        for i, path in enumerate(["/l", "/l/A", "/l/A/B", "/l/C"])
    }
    assert folders_to_remove([FolderEntry("/l", 0, 1)], index) == ["/l/A/B", "/l/A", "/l/C"]


def test_names_a_scan_skips() -> None:
    for name in (".hidden", "@eaDir", "@EADIR", "#recycle", "$RECYCLE.BIN", "", "bad\udcff.cbz"):
        assert is_ignored_name(name)
    for name in ("Marvel", "x.cbz", "#1.cbz", "eaDir"):
        assert not is_ignored_name(name)
    assert is_comic_name("A.CBZ") and is_comic_name("b.cb7") and is_comic_name("c.PDF")
    assert not is_comic_name("c.epub")


def test_a_link_target_maps_into_the_library_or_nowhere() -> None:
    assert library_path("/mnt/c/A/x.cbz", "/mnt/c", "/data") == "/data/A/x.cbz"
    assert library_path("/mnt/c", "/mnt/c", "/data") == "/data"
    assert library_path("/mnt/cc/x.cbz", "/mnt/c", "/data") is None
    assert library_path("/mnt/c/.stash/x.cbz", "/mnt/c", "/data") is None


def test_the_fingerprint_sample_is_both_ends_of_a_large_file() -> None:
    small = b"a" * 1000
    assert fingerprint_sample(small) == small
    large = b"h" * 65536 + b"m" * 10 + b"t" * 65536
    assert fingerprint_sample(large) == b"h" * 65536 + b"t" * 65536
    assert fingerprint(5, b"12345") == fingerprint(5, b"12345") != fingerprint(6, b"12345")


def test_report_speed_and_progress_fraction() -> None:
    report = ScanReport(1, 2, 3, 4, 1, 10, 5, elapsed=2.0)
    assert (report.files, report.files_per_second) == (16, 8.0)
    assert ScanReport(0, 0, 0, 0, 0, 5, 1, elapsed=0.0).files_per_second == 0.0
    assert ScanProgress(ScanPhase.WALKING, 3, 10, 0, 0).fraction is None
    assert ScanProgress(ScanPhase.INSPECTING, 3, 10, 4, 1).fraction == 0.25
    assert ScanProgress(ScanPhase.FINGERPRINTING, 3, 10, 0, 0).fraction == 1.0
