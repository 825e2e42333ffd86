"""Two servers on one SQLite data folder, as wired by the facade: one scans and watches, the
other names it in its log, and takes over once it stops."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bagboard import ComicLibrary
from bagboard.adapters.memory.watch import MemoryWatcher
from bagboard.config import load_settings
from bagboard.services import scanner_election
from tests.archive_factory import jpeg, write_cbz


def _until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def _server(data: Path, name: str) -> ComicLibrary:
    settings = load_settings(data_dir=str(data), environ={})
    app = ComicLibrary.from_settings(settings, workers=0, watcher=MemoryWatcher(tick_seconds=0.01))
    app.name_process(name)
    return app


def test_one_server_scans_and_the_other_takes_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner_election, "LEAD_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(scanner_election, "LEAD_CHECK_SECONDS", 0.05)
    caplog.set_level(logging.INFO)
    comics = tmp_path / "comics"
    comics.mkdir()
    write_cbz(comics / "Issue 1.cbz", {"p1.jpg": jpeg((1, 2, 3))})
    data = tmp_path / "data"
    first, second = _server(data, "first server"), _server(data, "second server")
    first.prepare_storage()
    first.add_folder(comics)
    stops = [threading.Event(), threading.Event()]
    elections = [app.scanner_election(timedelta(hours=6)) for app in (first, second)]
    threads = [
        threading.Thread(target=e.run, args=(s,)) for e, s in zip(elections, stops, strict=True)
    ]
    try:
        threads[0].start()
        _until(elections[0].leading.is_set)
        threads[1].start()
        _until(lambda: any("scans the libraries: first server (pid" in m for m in caplog.messages))
        assert not elections[1].leading.is_set()
        _until(lambda: first.browse.recent(first.user()).total == 1)
        stops[0].set()
        threads[0].join(20)
        _until(elections[1].leading.is_set)
        assert elections[1].terms == 1
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(20)
        first.close()
        second.close()
    leads = [m for m in caplog.messages if m.startswith("this process scans and watches")]
    assert len(leads) == 2
    assert "libraries: first server (pid " in leads[0]
    assert "libraries: second server (pid " in leads[1]
