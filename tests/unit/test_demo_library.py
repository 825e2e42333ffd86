from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import py7zr
import pytest
from PIL import Image

from bagboard.demo import (
    LIBRARY_END,
    LIBRARY_START,
    PLAIN,
    LibrarySummary,
    make_library,
)

SIZE = (120, 180)  # small pages keep the suite fast; one test covers the default size
COMIC_SUFFIXES = {".cbz", ".cbr", ".cb7"}
TEMPLATE = Path(__file__).parents[2] / "src" / "bagboard" / "demo" / "data" / "template-stored.cbr"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LibrarySummary]:
    root = tmp_path_factory.mktemp("library")
    return root, make_library(root, 300, seed=7, page_size=SIZE)


def comics(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.suffix in COMIC_SUFFIXES)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def assert_pages(names: list[str], read: dict[str, bytes]) -> None:
    pages = sorted(name for name in names if name.endswith(".jpg"))
    assert pages
    for name in pages:
        with Image.open(io.BytesIO(read[name])) as image:
            image.load()
            assert image.format == "JPEG"
            assert image.size == SIZE


def test_tree_is_publishers_then_series_then_optional_volumes(
    library: tuple[Path, LibrarySummary],
) -> None:
    root, summary = library
    publishers = [path for path in root.iterdir() if path.is_dir()]
    assert len(publishers) == summary.publishers >= 1
    series = [path for publisher in publishers for path in publisher.iterdir() if path.is_dir()]
    assert len(series) == summary.series
    split = [folder for folder in series if any(child.is_dir() for child in folder.iterdir())]
    assert len(split) * 2 == summary.volume_folders > 0
    for folder in split:
        volumes = sorted(child.name for child in folder.iterdir() if child.is_dir())
        assert len(volumes) == 2
        assert all(re.fullmatch(r"v\d{4}", name) for name in volumes)
        assert not [path for path in folder.iterdir() if path.suffix in COMIC_SUFFIXES]
    for path in comics(root):
        depth = len(path.relative_to(root).parts)
        assert depth in (3, 4)
        assert re.fullmatch(r".+ \d{3,} \(\d{4}\)\.cb[z7r]", path.name)


def test_every_cbz_is_a_zip_of_decodable_pages_and_parseable_comic_info(
    library: tuple[Path, LibrarySummary],
) -> None:
    root, summary = library
    cbz = [path for path in comics(root) if path.suffix == ".cbz"]
    readable = [path for path in cbz if path not in summary.corrupt_paths]
    assert len(readable) == summary.cbz
    without_info = 0
    for path in readable:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
            assert_pages(names, {name: archive.read(name) for name in names})
            assert all(
                info.compress_type == zipfile.ZIP_STORED
                for info in archive.infolist()
                if info.filename.endswith(".jpg")
            )
            if "ComicInfo.xml" not in names:
                without_info += 1
                continue
            info = ElementTree.fromstring(archive.read("ComicInfo.xml"))
        jpegs = [name for name in names if name.endswith(".jpg")]
        assert info.findtext("Series")
        assert path.name.startswith(info.findtext("Series", ""))
        assert int(info.findtext("PageCount", "0")) == len(jpegs)
        for field in ("Number", "Volume", "Year", "Publisher", "Title", "Writer", "Penciller"):
            assert info.findtext(field), field
        for field in ("Genre", "Characters", "Summary", "LanguageISO"):
            assert info.findtext(field), field
        pages = info.findall("Pages/Page")
        assert len(pages) == len(jpegs)
        assert pages[0].get("Type") == "FrontCover"
    assert 0 < without_info < len(readable) // 5


def test_format_mix_at_300_comics(library: tuple[Path, LibrarySummary], tmp_path: Path) -> None:
    root, summary = library
    suffixes = Counter(path.suffix for path in comics(root))
    assert sum(suffixes.values()) == summary.comics == 300
    assert suffixes[".cbr"] == summary.cbr > 0
    assert suffixes[".cb7"] == summary.cb7 > 0
    assert summary.cbz + summary.cbr + summary.cb7 + summary.corrupt == 300
    for path in root.rglob("*.cbr"):
        assert path.read_bytes() == TEMPLATE.read_bytes()
    for path in root.rglob("*.cb7"):
        with py7zr.SevenZipFile(path) as archive:
            assert archive.testzip() is None
        with py7zr.SevenZipFile(path) as archive:
            archive.extractall(tmp_path / path.stem)
        members = {
            file.relative_to(tmp_path / path.stem).as_posix(): file.read_bytes()
            for file in (tmp_path / path.stem).rglob("*")
            if file.is_file()
        }
        assert_pages(list(members), members)
        assert "ComicInfo.xml" in members or len(members) == 4


def test_a_plain_mix_is_well_formed_cbz_with_comic_info_in_the_same_shape(
    library: tuple[Path, LibrarySummary], tmp_path: Path
) -> None:
    _, varied = library
    root = tmp_path / "plain"
    plain = make_library(root, 300, seed=7, page_size=SIZE, mix=PLAIN)
    assert (plain.cbz, plain.cbr, plain.cb7, plain.corrupt) == (300, 0, 0, 0)
    assert (plain.without_comic_info, plain.folder_images) == (0, 0)
    assert (plain.publishers, plain.series) == (varied.publishers, varied.series)
    assert plain.volume_folders > 0
    for path in comics(root):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        assert "ComicInfo.xml" in names and all("/" not in name for name in names)


def test_corrupt_files_are_present_and_unreadable(library: tuple[Path, LibrarySummary]) -> None:
    _, summary = library
    assert summary.corrupt == len(summary.corrupt_paths) >= 1
    for path in summary.corrupt_paths:
        assert path.suffix == ".cbz"
        assert path.is_file()
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(path)


def test_corrupt_kinds_all_appear(tmp_path: Path) -> None:
    summary = make_library(tmp_path, 1500, seed=3, page_size=SIZE)
    sizes = sorted(path.stat().st_size for path in summary.corrupt_paths)
    assert len(sizes) == 3
    assert sizes[0] == 0  # an empty file
    texts = [path.read_bytes() for path in summary.corrupt_paths]
    assert any(text.startswith(b"<!DOCTYPE html>") for text in texts)
    assert any(text.startswith(b"PK\x03\x04") for text in texts)  # a zip cut short


def test_folder_jpg_on_some_publisher_and_series_folders(
    library: tuple[Path, LibrarySummary],
) -> None:
    root, summary = library
    images = sorted(root.rglob("folder.jpg"))
    assert len(images) == summary.folder_images > 0
    assert {len(path.relative_to(root).parts) for path in images} <= {2, 3}
    for path in images:
        with Image.open(path) as image:
            image.load()
            assert image.format == "JPEG"


def test_oddities_of_real_libraries(library: tuple[Path, LibrarySummary]) -> None:
    root, _ = library
    names = {path.name for path in root.glob("*/*") if path.is_dir()}
    assert any(not name.isascii() for name in names)
    assert any("#" in name and "&" in name for name in names)
    spelled_differently = pages_in_folder = 0
    for path in root.rglob("*.cbz"):
        if not zipfile.is_zipfile(path):
            continue
        with zipfile.ZipFile(path) as archive:
            pages_in_folder += any("/" in name for name in archive.namelist())
            if "ComicInfo.xml" not in archive.namelist():
                continue
            publisher = ElementTree.fromstring(archive.read("ComicInfo.xml")).findtext("Publisher")
        folder = path.relative_to(root).parts[0]
        assert publisher is not None
        assert publisher.lower() == folder.lower()
        spelled_differently += publisher != folder
    assert spelled_differently > 0
    assert pages_in_folder > 0


def test_same_seed_gives_identical_trees_and_bytes(tmp_path: Path) -> None:
    first = make_library(tmp_path / "a", 60, seed=5, page_size=SIZE)
    second = make_library(tmp_path / "b", 60, seed=5, page_size=SIZE)
    assert first.written == second.written == 60
    tree = snapshot(tmp_path / "a")
    assert len([name for name in tree if not name.endswith("folder.jpg")]) == 60
    assert tree == snapshot(tmp_path / "b")


def test_another_seed_gives_another_library(tmp_path: Path) -> None:
    make_library(tmp_path / "a", 60, seed=5, page_size=SIZE)
    make_library(tmp_path / "b", 60, seed=6, page_size=SIZE)
    assert snapshot(tmp_path / "a").keys() != snapshot(tmp_path / "b").keys()


def test_modification_times_spread_over_past_years(library: tuple[Path, LibrarySummary]) -> None:
    root, _ = library
    times = [path.stat().st_mtime for path in comics(root)]
    assert all(LIBRARY_START <= moment < LIBRARY_END for moment in times)
    years = {datetime.fromtimestamp(moment, UTC).year for moment in times}
    assert len(years) >= 5


def test_a_rerun_keeps_existing_files_and_completes_the_library(tmp_path: Path) -> None:
    make_library(tmp_path, 60, seed=2, page_size=SIZE)
    complete = snapshot(tmp_path)
    removed = comics(tmp_path)[::7]
    for path in removed:
        path.unlink()
    # What an interrupted run leaves behind: a partial file under its temporary name.
    partial = removed[0].with_name(f".{removed[0].name}.part")
    partial.write_bytes(b"PK\x03\x04 cut short")
    summary = make_library(tmp_path, 60, seed=2, page_size=SIZE)
    assert (summary.written, summary.skipped) == (len(removed), 60 - len(removed))
    assert snapshot(tmp_path) == complete


def test_default_pages_are_full_size_jpegs_of_about_35_kb(tmp_path: Path) -> None:
    summary = make_library(tmp_path, 12, seed=1)
    path = next(path for path in comics(tmp_path) if path.suffix == ".cbz")
    with zipfile.ZipFile(path) as archive:
        jpegs = [archive.read(name) for name in archive.namelist() if name.endswith(".jpg")]
    assert len(jpegs) == 4
    assert Image.open(io.BytesIO(jpegs[0])).size == (800, 1200)
    assert 60_000 < summary.bytes / summary.comics < 250_000
    assert len(set(jpegs)) == 4  # pages of one comic are never byte-identical


def test_summary_describes_the_run(library: tuple[Path, LibrarySummary]) -> None:
    _, summary = library
    line = summary.describe()
    assert line.startswith("300 comics (")
    assert "comics/s" in line
    assert summary.bytes == sum(path.stat().st_size for path in comics(library[0]))


@pytest.mark.parametrize(
    ("count", "pages", "page_size", "quality"),
    [(-1, 4, SIZE, 80), (1, 0, SIZE, 80), (1, 4, (0, 10), 80), (1, 4, SIZE, 101)],
)
def test_rejects_impossible_arguments(
    tmp_path: Path, count: int, pages: int, page_size: tuple[int, int], quality: int
) -> None:
    with pytest.raises(ValueError):
        make_library(tmp_path, count, pages=pages, page_size=page_size, quality=quality)


def test_command_line_prints_a_one_line_summary(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "bench" / "make_library.py"
    command = [sys.executable, str(script), str(tmp_path), "--comics", "5", "--page-size", "40x60"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.startswith("5 comics (")
    assert len(result.stdout.splitlines()) == 1
    assert len(comics(tmp_path)) == 5
