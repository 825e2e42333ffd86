"""``bagboard demo``'s library: the comics it dates today, so that a first scan has something
recently added, and the reproducible times of all the others."""

from __future__ import annotations

from pathlib import Path

from bagboard.demo import LIBRARY_END, LIBRARY_START, make_library

NOW = 1_900_000_000  # a fixed "now", later than every time the plan gives


def times(root: Path) -> dict[str, int]:
    return {
        path.relative_to(root).as_posix(): int(path.stat().st_mtime) for path in root.rglob("*.cb?")
    }


def test_recent_comics_are_dated_within_two_weeks_before_now(tmp_path: Path) -> None:
    make_library(tmp_path / "plain", 40, pages=1, page_size=(32, 48))
    make_library(tmp_path / "demo", 40, pages=1, page_size=(32, 48), recent=6, now=NOW)
    plain, demo = times(tmp_path / "plain"), times(tmp_path / "demo")
    assert plain.keys() == demo.keys() and len(plain) == 40
    changed = {path for path in plain if plain[path] != demo[path]}
    assert len(changed) == 6
    assert all(NOW - 14 * 86_400 <= demo[path] < NOW for path in changed)
    # The six the plan dated last, newest first.
    latest = sorted(plain, key=lambda path: (plain[path], path), reverse=True)[:6]
    assert set(latest) == changed
    assert [demo[path] for path in latest] == sorted((demo[p] for p in latest), reverse=True)
    assert all(LIBRARY_START <= plain[path] < LIBRARY_END for path in plain)


def test_files_already_there_keep_their_times(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    make_library(root, 20, pages=1, page_size=(32, 48))
    before = times(root)
    summary = make_library(root, 20, pages=1, page_size=(32, 48), recent=5, now=NOW)
    assert summary.written == 0
    assert times(root) == before
