"""Reading-list entries waiting for a comic resolve after a scan run through ``ScanJobs`` (the
owner's "scan now" and the monitor's), beside KOReader positions: each step after a scan runs
even when one before it failed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.config import load_settings
from bagboard.domain.pagination import PageRequest
from bagboard.domain.readlists import ListBook, ParsedList
from bagboard.library import ComicLibrary
from bagboard.services.scan.scanner import ScanReport
from bagboard.services.scan_jobs import ScanJobs
from tests.readlist_support import comic
from tests.unit.test_scan_jobs_after import NOTHING, FixedScanner


def test_every_step_after_a_scan_runs_though_one_fails() -> None:
    calls: list[str] = []

    def fail() -> None:
        calls.append("kosync")
        raise RuntimeError("bug")

    store = MemoryLibraryStore()
    library = store.add("a", "/lib/a")
    scanner: Any = FixedScanner(replace(NOTHING, new=1))
    jobs = ScanJobs(
        lambda: scanner, store, ManualClock(), after_scan=[fail, lambda: calls.append("lists")]
    )
    report: ScanReport = jobs.scan(library)
    assert report.new == 1
    assert calls == ["kosync", "lists"]


def test_a_background_scan_resolves_waiting_list_entries(tmp_path: Path) -> None:
    root = tmp_path / "comics"
    comic(root, "Hero/Hero 001.cbz", "Hero", "1", "", "2020")
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path / "data")), memory=True, workers=0
    )
    try:
        library = app.add_folder(root)
        jobs: ScanJobs = app.container.scan_jobs()
        jobs.scan(library)
        books = (ListBook("Hero", "1"), ListBook("Hero", "2"))
        report = app.reading_lists.import_list(
            app.accounts.owner(), ParsedList("Hero", "", books), shared=True
        )
        assert [b.position for b in report.missing] == [2]

        comic(root, "Hero/Hero 002.cbz", "Hero", "2", "", "2020")
        jobs.scan(library)

        view = app.reading_lists.show(app.accounts.owner(), report.reading_list.id, PageRequest())
        second = view.entries.items[1].comic_id
        assert second is not None
        assert view.comics[second].path.endswith("Hero 002.cbz")
    finally:
        app.close()
