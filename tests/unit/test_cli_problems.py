"""``bagboard problems`` and the unreadable count of scan summaries, on a real SQLite database
with a real corrupt archive scanned by the real scanner."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bagboard.cli import main
from tests.unit.scan_support import write_cbz

Run = Callable[..., tuple[int, str, str]]
NOT_AN_ARCHIVE = b"these bytes are no archive at all " * 40


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        # Scans read archives in this process: no worker pool for a handful of files.
        extra = ["--workers", "0"] if args and args[0] == "scan" else []
        code = main([*args, *extra, "--data-dir", str(tmp_path / "data")])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def comics(tmp_path: Path) -> Path:
    root = tmp_path / "comics"
    write_cbz(root / "Acme" / "Hero 001.cbz")
    broken = root / "Acme" / "x.cbz"
    broken.write_bytes(NOT_AN_ARCHIVE)
    return root


def summary(err: str, name: str) -> str:
    (line,) = [line for line in err.splitlines() if line.startswith(f"{name}: ")]
    return line


def test_every_scan_counts_the_unreadable_files_of_the_library(run: Run, comics: Path) -> None:
    code, _, err = run("scan", "--library", str(comics))
    assert code == 0
    assert "2 new" in summary(err, "comics")
    assert "1 unreadable (bagboard problems lists them)" in summary(err, "comics")
    # Nothing changed: the broken file is not opened again, and is still counted.
    code, out, err = run("scan", "--library", str(comics), "--json")
    assert code == 0
    assert "0 new" in summary(err, "comics")
    assert "1 unreadable (bagboard problems lists them)" in summary(err, "comics")
    report = json.loads(out)
    assert (report["unreadable"], report["unreadable_opened"]) == (1, 0)
    # Fixed on disk: read again, and no longer counted.
    write_cbz(comics / "Acme" / "x.cbz", salt="repaired")
    _, _, err = run("scan")
    assert "1 changed" in summary(err, "comics")
    assert ", 0 unreadable," in summary(err, "comics")
    assert "bagboard problems" not in err


def test_problems_lists_path_reason_and_time_then_a_count(run: Run, comics: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    run("scan", "--library", str(comics))
    code, out, err = run("problems")
    assert (code, err) == (0, "")
    header, line, count = out.splitlines()
    assert header == "library\tpath\ttried (UTC)\treason"
    library, path, tried, reason = line.split("\t")
    assert (library, path) == ("comics", "Acme/x.cbz")
    assert reason == "the archive is corrupt, truncated or in an unsupported format"
    assert datetime.strptime(tried, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC) >= before
    assert count == "1 file could not be read"
    code, out, _ = run("problems", "--json")
    assert code == 0
    (item,) = json.loads(out)
    assert set(item) == {"id", "library", "root", "path", "error", "tried_at"}
    assert (item["library"], item["root"], item["path"]) == ("comics", str(comics), "Acme/x.cbz")
    assert item["error"] == reason
    assert datetime.fromisoformat(item["tried_at"]) == datetime.strptime(
        tried, "%Y-%m-%d %H:%M:%S"
    ).replace(tzinfo=UTC)


def test_problems_with_none_says_so(run: Run, tmp_path: Path) -> None:
    write_cbz(tmp_path / "fine" / "a.cbz")
    run("scan", "--library", str(tmp_path / "fine"))
    assert run("problems") == (0, "0 files could not be read\n", "")
    assert run("problems", "--json")[1].strip() == "[]"


def test_problems_of_a_removed_library_go_with_it(run: Run, comics: Path) -> None:
    run("scan", "--library", str(comics))
    assert run("library", "remove", str(comics))[0] == 0
    assert run("problems")[1] == "0 files could not be read\n"


def test_problem_paths_are_relative_to_their_own_library(
    run: Run, comics: Path, tmp_path: Path
) -> None:
    other = tmp_path / "comics-extra"
    (other / "deep" / "er").mkdir(parents=True)
    (other / "deep" / "er" / "y.cbr").write_bytes(NOT_AN_ARCHIVE)
    write_cbz(other / "ok.cbz")
    os.utime(other, None)
    run("scan", "--library", str(comics), "--library", str(other))
    lines = run("problems")[1].splitlines()
    assert [line.split("\t")[:2] for line in lines[1:-1]] == [
        ["comics", "Acme/x.cbz"],
        ["comics-extra", "deep/er/y.cbr"],
    ]
    assert lines[-1] == "2 files could not be read"
