"""The README's "Use as a library" script runs on any library, not only on the names it was
written for: publishers, series and files named otherwise, comics without ComicInfo.xml, a
one-page comic, and no comics at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.python_runs import python_output

README = Path(__file__).parents[2] / "README.md"


def readme_script() -> str:
    """The first Python block of the README's "Use as a library" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Use as a library\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    return code.group(1)


def comic(path: Path, pages: int, **fields: str) -> None:
    members = {f"p{n:02d}.png": jpeg((30 * n, 90, 60), (500, 700)) for n in range(1, pages + 1)}
    if fields:
        members["ComicInfo.xml"] = comicinfo_xml(fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_cbz(path, members)


def run_script(folder: Path) -> list[str]:
    (folder / "example.py").write_text(readme_script(), encoding="utf-8")
    return python_output("example.py", cwd=folder).splitlines()


def test_it_tours_a_library_of_other_names(tmp_path: Path) -> None:
    root = tmp_path / "my-comics"
    comic(root / "Zebra Verlag/Åsa & Co/Åsa 7.cbz", 1, Series="Åsa & Co", Number="7",
          Publisher="Zebra Verlag", Title="Sju")  # fmt: skip
    comic(root / "Zebra Verlag/Åsa & Co/Åsa 3.cbz", 2, Series="Åsa & Co", Number="3",
          Publisher="Zebra Verlag")  # fmt: skip
    comic(root / "Zebra Verlag/#Hashtag/#Hashtag 1.cbz", 4, Series="#Hashtag", Number="1",
          Publisher="Zebra Verlag")  # fmt: skip
    comic(root / "Aardvark Books/Burrow/Burrow 01.cbz", 3, Series="Burrow", Number="1",
          Publisher="Aardvark Books", Writer="Orycteropus")  # fmt: skip
    comic(root / "loose/untagged 12.cbz", 2)  # no ComicInfo at all

    lines = run_script(tmp_path)

    publishers = lines[0]
    assert publishers.startswith("publishers: [") and "'Zebra Verlag', 3" in publishers
    first = re.match(r"publishers: \[\('([^']*)'", publishers)
    assert first is not None
    assert lines[1].startswith(f"series of {first.group(1)}: [(")
    assert re.fullmatch(r"page 1 of \d+, \d+ issues, more: (True|False)", lines[2])
    assert any(line.startswith("pages: [(1, 500, 700)") for line in lines)
    assert any(re.fullmatch(r"cover: image/jpeg \(\d+, \d+\)", line) for line in lines)
    # Marked read: the position is the last page, whatever the page it was saved at.
    pages = next(line for line in lines if line.startswith("pages: "))
    assert f"reading: {pages.count('(')} True" in lines
    assert lines[-1] == "changes: ['position', 'read']"


def test_it_tours_comics_without_comicinfo(tmp_path: Path) -> None:
    root = tmp_path / "my-comics"
    comic(root / "Somebody/Some Series/Some Series 002.cbz", 1)
    comic(root / "Somebody/Some Series/Some Series 001.cbz", 3)

    lines = run_script(tmp_path)

    # Nothing tagged: the folders name the publisher, the file names the series and numbers.
    assert lines[0] == "publishers: [('Somebody', 2)]"
    assert lines[1] == "series of Somebody: [('Some Series', 2)]"
    assert lines[3] == "issue: Some Series 1  by ?"
    assert "pages: [(1, 500, 700), (2, 500, 700), (3, 500, 700)]" in lines  # 001, first
    assert "reading: 3 True" in lines
    assert lines[-1] == "changes: ['position', 'read']"


@pytest.mark.parametrize("contents", ["nothing", "not comics"])
def test_it_says_so_when_there_is_nothing_to_tour(tmp_path: Path, contents: str) -> None:
    root = tmp_path / "my-comics"
    root.mkdir()
    if contents == "not comics":
        (root / "notes.txt").write_text("no comics here")

    assert run_script(tmp_path) == [
        "publishers: []",
        "no comics yet: put some in my-comics",
    ]
