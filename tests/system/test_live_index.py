"""With ``bagboard serve`` running, the index follows the disk by itself within seconds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz

SETTLE_LIMIT = 5.0  # seconds, from the moment the disk stops changing


def _comic(path: Path, series: str, number: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_cbz(
        path,
        {
            "001.jpg": jpeg((number * 20 % 255, 10, 10)),
            "002.jpg": jpeg((10, number * 30 % 255, 10)),
            "ComicInfo.xml": comicinfo_xml(
                {"Series": series, "Number": str(number), "Publisher": "Indie"}
            ),
        },
    )


def _index(data_dir: Path) -> dict[str, int]:
    """path -> id of every indexed comic, read straight from the server's database."""
    db = sqlite3.connect(f"file:{data_dir / 'bagboard.db'}?mode=ro", uri=True)
    try:
        return dict(db.execute("select path, id from comics").fetchall())
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()


def _wait_for(condition: Callable[[], bool], limit: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit:
            raise AssertionError(f"not reached within {limit}s")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def comics(tmp_path: Path) -> Path:
    """Overrides the empty library of conftest with four comics."""
    folder = tmp_path / "comics"
    for number in (1, 2, 3):
        _comic(folder / "Indie" / "Alpha" / f"Alpha {number:03d}.cbz", "Alpha", number)
    _comic(folder / "Indie" / "Beta" / "Beta 001.cbz", "Beta", 1)
    return folder


def test_moves_renames_deletes_and_additions_reach_the_index(
    server: tuple[str, Path],
    comics: Path,
) -> None:
    _, data_dir = server
    root = comics.resolve()
    _wait_for(lambda: len(_index(data_dir)) == 4, limit=30)
    before = _index(data_dir)

    moved_from = root / "Indie" / "Alpha" / "Alpha 001.cbz"
    moved_to = root / "Indie" / "Beta" / "Alpha 001.cbz"
    renamed_from = root / "Indie" / "Alpha" / "Alpha 002.cbz"
    renamed_to = root / "Indie" / "Alpha" / "Alpha #2 (1999).cbz"
    deleted = root / "Indie" / "Beta" / "Beta 001.cbz"
    added = root / "Indie" / "Gamma" / "Gamma 001.cbz"

    shutil.move(moved_from, moved_to)
    os.rename(renamed_from, renamed_to)
    deleted.unlink()
    _comic(added, "Gamma", 1)

    def settled() -> bool:
        now = _index(data_dir)
        return (
            str(moved_to) in now
            and str(renamed_to) in now
            and str(deleted) not in now
            and str(added) in now
            and str(moved_from) not in now
            and str(renamed_from) not in now
        )

    _wait_for(settled, limit=SETTLE_LIMIT)
    after = _index(data_dir)
    assert after[str(moved_to)] == before[str(moved_from)]
    assert after[str(renamed_to)] == before[str(renamed_from)]
    assert (
        after[str(root / "Indie" / "Alpha" / "Alpha 003.cbz")]
        == before[str(root / "Indie" / "Alpha" / "Alpha 003.cbz")]
    )
    assert after[str(added)] not in before.values()
    assert len(after) == 4
