"""``bagboard readlist``: run in-process on a real SQLite database, with real archives scanned
by the real scanner and CBL files the tests write."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.adapters.readlists.cbl import parse_cbl, read_cbl
from bagboard.domain.readlists import ListBook, ParsedList
from tests.readlist_support import cbl, comic, write_world
from tests.unit import cli_support
from tests.unit.cli_support import Run

# The shared fixtures, bound here by name.
data_dir = cli_support.data_dir
run = cli_support.run

CIVIL_WAR = [
    ("Civil War", "1", "2006", "2006"),
    ("Nobody Reads This", "7", "", ""),
    ("Civil War", "2", "2006", "2006"),
    ("Civil War", "1", "2006", "2006"),
]


@pytest.fixture
def roots(tmp_path: Path, run: Run) -> tuple[Path, Path]:
    marvel, secret = write_world(tmp_path)
    for root in (marvel, secret):
        code, _, err = run("scan", "--library", str(root), "--workers", "0")
        assert code == 0, err
    return marvel, secret


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def imported(run: Run, *args: str) -> str:
    code, out, err = run("readlist", "import", *args)
    assert code == 0, err
    return out


def test_import_reports_counts_and_missing_books_and_reimport_updates(
    tmp_path: Path, run: Run, roots: tuple[Path, Path]
) -> None:
    path = write(tmp_path, "cw.cbl", cbl("Civil War", CIVIL_WAR, summary="The event"))

    out = imported(run, path)
    assert "imported list 1: Civil War (own, 4 books): 3 matched, 0 ambiguous, 1 missing" in out
    assert "missing #2: Nobody Reads This #7" in out

    # The same list with one more book: the list is updated, not added again.
    bigger = [*CIVIL_WAR, ("Amazing Spider-Man", "532", "", "2006")]
    out = imported(run, write(tmp_path, "cw2.cbl", cbl("Civil War", bigger)))
    assert "imported list 1: Civil War (own, 5 books): 3 matched, 1 ambiguous, 1 missing" in out
    assert "ambiguous #5: Amazing Spider-Man #532 (2006)" in out
    code, out, _ = run("readlist", "list")
    assert code == 0
    assert out.splitlines() == ["1\tCivil War\town\t4/5 resolved"]

    code, out, _ = run("readlist", "show", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1\tCivil War\town"
    assert lines[1].startswith("1\tCivil War #1 (vol 2006, 2006)\t")
    assert lines[1].endswith("Civil War 001.cbz")
    assert lines[2] == "2\tNobody Reads This #7\tunresolved"
    assert lines[4].endswith("Civil War 001.cbz")  # a book named twice is kept twice
    assert lines[5].endswith("ASM 532 (a).cbz")  # the first copy in issue order


def test_export_round_trips_the_books(tmp_path: Path, run: Run, roots: tuple[Path, Path]) -> None:
    imported(run, write(tmp_path, "cw.cbl", cbl("Civil War", CIVIL_WAR, summary="The event")))
    target = tmp_path / "out.cbl"

    code, out, err = run("readlist", "export", "1", "-o", str(target))
    assert code == 0, err
    assert "exported list 1: Civil War (4 books)" in out
    with target.open("rb") as stream:
        again = read_cbl(stream)
    assert again.name == "Civil War"
    assert again.summary == "The event"
    assert again.books == tuple(
        ListBook(series, number, volume or None, int(year) if year else None)
        for series, number, volume, year in CIVIL_WAR
    )
    # Importing the export gives the same list back, still one list.
    imported(run, str(target))
    code, out, _ = run("readlist", "list")
    assert out.splitlines() == ["1\tCivil War\town\t3/4 resolved"]


def test_a_list_imported_before_its_comic_is_scanned_resolves_after_the_scan(
    tmp_path: Path, run: Run, roots: tuple[Path, Path]
) -> None:
    marvel, _ = roots
    books = [("Civil War", "3", "2006", "2006")]
    out = imported(run, write(tmp_path, "cw3.cbl", cbl("Civil War 3", books)))
    assert "0 matched, 0 ambiguous, 1 missing" in out

    comic(marvel, "Civil War/Civil War 003.cbz", "Civil War", "3", "2006", "2006")
    code, _, err = run("scan", "--library", str(marvel), "--workers", "0")
    assert code == 0, err

    code, out, _ = run("readlist", "show", "1")
    assert out.splitlines()[1].endswith("Civil War 003.cbz")


def test_a_reader_cannot_see_entries_in_libraries_they_may_not_see(
    tmp_path: Path, run: Run, roots: tuple[Path, Path]
) -> None:
    marvel, _ = roots
    code, _, err = run("user", "add", "kid", "--library", str(marvel))
    assert code == 0, err
    books = [("Civil War", "1", "", ""), ("Secret Wars", "1", "", "1984")]
    out = imported(run, write(tmp_path, "mix.cbl", cbl("Mixed", books)), "--shared")
    assert "imported list 1: Mixed (shared, 2 books): 2 matched" in out

    code, out, _ = run("readlist", "show", "1")
    assert out.splitlines()[2].endswith("Secret Wars 001.cbz")
    code, out, _ = run("readlist", "show", "1", "--user", "kid")
    assert code == 0
    assert "Secret Wars 001.cbz" not in out
    assert out.splitlines()[2] == "2\tSecret Wars #1 (1984)\tunresolved"
    code, out, _ = run("readlist", "list", "--user", "kid")
    assert out.splitlines() == ["1\tMixed\tshared\t1/2 resolved"]

    # The reader's own import matches only what the reader may see.
    out = imported(run, write(tmp_path, "kid.cbl", cbl("Kid's", books)), "--user", "kid")
    assert "1 matched, 0 ambiguous, 1 missing" in out


def test_remove(tmp_path: Path, run: Run, roots: tuple[Path, Path]) -> None:
    marvel, _ = roots
    run("user", "add", "kid", "--library", str(marvel))
    imported(run, write(tmp_path, "a.cbl", cbl("Shared", CIVIL_WAR)), "--shared")

    code, _, err = run("readlist", "remove", "1", "--user", "kid")
    assert code == 1
    assert err.strip() == "bagboard: error: only an owner may remove a shared reading list"
    code, out, _ = run("readlist", "remove", "1")
    assert code == 0
    assert out.strip() == "removed list 1: Shared"
    assert run("readlist", "list")[1] == ""
    code, _, err = run("readlist", "show", "1")
    assert code == 1
    assert err.strip() == "bagboard: error: no such reading list"


def test_a_file_naming_no_list_is_named_after_the_file(
    tmp_path: Path, run: Run, roots: tuple[Path, Path]
) -> None:
    nameless = cbl("", CIVIL_WAR[:1])
    assert read_cbl_bytes(nameless).name == ""
    first = imported(run, write(tmp_path, "Civil  War (2006).cbl", nameless))
    second = imported(run, write(tmp_path, "Secret Wars.cbl", nameless))
    assert first.startswith("imported list 1: Civil War (2006) (own, 1 books)")
    # Two nameless files make two lists, not one replacing the other.
    assert second.startswith("imported list 2: Secret Wars (own, 1 books)")


def read_cbl_bytes(data: bytes) -> ParsedList:
    return parse_cbl(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "bomb.cbl",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<ReadingList><Name>&b;</Name><Books/></ReadingList>",
        ),
        ("junk.cbl", b"this is not xml at all"),
        ("huge.cbl", b"<ReadingList><Books>" + b" " * (11 * 1024 * 1024) + b"</Books>"),
    ],
)
def test_a_hostile_or_broken_file_is_one_clear_error(
    tmp_path: Path, run: Run, name: str, data: bytes
) -> None:
    code, out, err = run("readlist", "import", write(tmp_path, name, data))

    assert code == 1
    assert out == ""
    assert err.startswith("bagboard: error: ")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert run("readlist", "list")[1] == ""


def test_a_missing_file_is_one_clear_error(tmp_path: Path, run: Run) -> None:
    code, _, err = run("readlist", "import", str(tmp_path / "nowhere.cbl"))
    assert code == 1
    assert err.strip().startswith("bagboard: error: no such file or directory")
