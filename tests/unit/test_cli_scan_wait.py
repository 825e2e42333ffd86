"""``bagboard scan`` while another process scans the same library: it names that process and
waits for it, or, with ``--no-wait``, scans nothing and exits 1."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from bagboard import open_library
from bagboard.cli import main
from tests.archive_factory import jpeg, write_cbz
from tests.scan_lock_support import HOLDER, HeldElsewhere


def _setup(tmp_path: Path) -> tuple[Path, HeldElsewhere]:
    comics = tmp_path / "comics"
    comics.mkdir()
    for number in (1, 2):
        write_cbz(comics / f"Issue {number}.cbz", {"p1.jpg": jpeg((number, 0, 0))})
    data = tmp_path / "data"
    with open_library(data) as library:
        library_id = library.add_folder(comics).id
    held = HeldElsewhere(f"sqlite:///{data / 'bagboard.db'}", str(library_id))
    return data, held


def _scan(data: Path, *args: str) -> int:
    return main(["scan", "--json", "--workers", "0", "--data-dir", str(data), *args])


def _reports(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_no_wait_names_the_scanner_and_scans_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, held = _setup(tmp_path)
    try:
        assert _scan(data, "--no-wait") == 1
        out, err = capsys.readouterr()
        assert f"bagboard: comics is being scanned by {HOLDER}; not waiting" in err
        assert _reports(out) == []
        held.release()
    finally:
        held.close()
    assert _scan(data, "--no-wait") == 0
    out, _ = capsys.readouterr()
    assert _reports(out)[0]["new"] == 2  # nothing was indexed before


def test_scan_waits_for_the_other_process_then_scans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, held = _setup(tmp_path)
    codes: list[int] = []
    scan = threading.Thread(target=lambda: codes.append(_scan(data)))
    try:
        scan.start()
        said = ""
        deadline = time.monotonic() + 20
        while "waiting…" not in said:
            assert time.monotonic() < deadline, said
            time.sleep(0.02)
            said += capsys.readouterr().err
        assert f"bagboard: comics is being scanned by {HOLDER}; waiting…" in said
        assert scan.is_alive() and codes == []
        held.release()
        scan.join(30)
    finally:
        held.close()
    assert codes == [0]
    out, _ = capsys.readouterr()
    assert _reports(out)[0]["new"] == 2
