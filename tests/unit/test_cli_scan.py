"""``bagboard scan`` and ``bagboard demo`` pieces, in-process on SQLite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bagboard.cli import main
from bagboard.console import parse_duration
from bagboard.domain.errors import InvalidInput
from bagboard.pools import POOL_THRESHOLD
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz


def _library(root: Path, count: int) -> Path:
    for number in range(1, count + 1):
        path = root / "Pub" / f"Series {number % 3}" / f"Issue {number:03d}.cbz"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(
            path,
            {
                "p1.jpg": jpeg((number % 255, 0, 0)),
                "ComicInfo.xml": comicinfo_xml({"Series": f"Series {number % 3}"}),
            },
        )
    (root / "Pub" / "broken.cbz").write_bytes(b"not a zip at all")
    return root


def _scan(
    capsys: pytest.CaptureFixture[str], data: Path, *args: str
) -> tuple[int, list[dict[str, object]], str]:
    code = main(["scan", "--json", "--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.mark.parametrize("workers", ["0", "2"])
def test_scan_indexes_then_finds_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    # Above the pool threshold, so workers=2 really goes through the processes.
    library = _library(tmp_path / "comics", POOL_THRESHOLD + 10)
    code, reports, err = _scan(
        capsys, tmp_path / "data", "--library", str(library), "--workers", workers
    )
    assert code == 0, err
    assert reports[0]["new"] == POOL_THRESHOLD + 11 and reports[0]["unreadable"] == 1
    assert "formats: CBZ" in err and f"{POOL_THRESHOLD + 11:,} new" in err
    code, reports, _ = _scan(capsys, tmp_path / "data", "--workers", workers)
    assert code == 0
    assert (reports[0]["new"], reports[0]["unchanged"]) == (0, POOL_THRESHOLD + 11)


def test_scan_without_any_library_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, reports, err = _scan(capsys, tmp_path / "data")
    assert code == 1 and reports == []
    assert "no library to scan" in err


def test_a_vanished_library_fails_loudly_and_keeps_its_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path / "comics", 3)
    data = tmp_path / "data"
    assert _scan(capsys, data, "--library", str(library), "--workers", "0")[0] == 0
    moved_away = tmp_path / "unmounted"
    shutil.move(library, moved_away)
    code, _, err = _scan(capsys, data, "--workers", "0")
    assert code == 1 and "error" in err
    shutil.move(moved_away, library)
    code, reports, _ = _scan(capsys, data, "--workers", "0")
    assert code == 0 and reports[0]["unchanged"] == 4 and reports[0]["new"] == 0


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("90", 90), ("90s", 90), ("15m", 900), ("6h", 21600), ("1d", 86400), ("0", 0), ("1.5h", 5400)],
)
def test_parse_duration(raw: str, seconds: int) -> None:
    assert parse_duration(raw).total_seconds() == seconds


@pytest.mark.parametrize("raw", ["", "six hours", "-5m", "5w"])
def test_parse_duration_rejects_nonsense(raw: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(raw)
