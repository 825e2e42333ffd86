"""A scan killed with SIGKILL half-way: the index keeps whole batches only, the next scan
completes it, and the result is the index a fresh scan of the same folder builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import DBAPIError

from bagboard.adapters.storage.db.tables import metadata
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.system.faults.conftest import ENV, Site

# Three batches of 500 (the scanner's batch size): a kill between the first commit and the
# last finds the index holding some comics but not all.
COMICS = 1500
# What the index holds, less what names the moment of writing or a row's own id.
INDEX_TABLES = (
    "comics",
    "folders",
    "comic_removals",
    "library_scans",
    "facet_sources",
    "series_facets",
    "publisher_series_facets",
    "publisher_facets",
    "all_series_facets",
    "all_publisher_series_facets",
)
MOMENTS = {"updated_at", "indexed_at", "removed_at", "last_scan_at"}


def _library(root: Path) -> None:
    page = jpeg((90, 30, 30), (8, 12))
    for n in range(COMICS):
        publisher, series = f"Publisher {n % 7}", f"Series {n % 60}"
        folder = root / publisher / series
        folder.mkdir(parents=True, exist_ok=True)
        info = comicinfo_xml({"Series": series, "Number": str(n), "Publisher": publisher})
        write_cbz(folder / f"{series} {n:04}.cbz", {"p1.jpg": page, "ComicInfo.xml": info})


def _count(site: Site) -> int | None:
    try:
        count: int = site.scalar("SELECT count(*) FROM comics")
    except DBAPIError:
        return None  # not migrated yet
    return count


def _index(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    engine = site.engine()
    try:
        assert set(INDEX_TABLES) <= set(inspect(engine).get_table_names())
        found = {}
        with engine.connect() as conn:
            for name in INDEX_TABLES:
                table = metadata.tables[name]
                columns = [
                    column
                    for column in table.columns
                    if column.name != "id"
                    and not column.name.endswith("_id")
                    and column.name not in MOMENTS
                ]
                query = select(*columns) if columns else select(func.count()).select_from(table)
                rows = conn.execute(query).all()
                found[name] = sorted((tuple(row) for row in rows), key=repr)
        return found
    finally:
        engine.dispose()


def _scan(site: Site, root: Path, *args: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(site.run("scan", "--library", str(root), "--json", *args))
    return report


def test_a_scan_killed_half_way(site: Site, new_site: Callable[[], Site], tmp_path: Path) -> None:
    root = tmp_path / "comics"
    _library(root)
    scan = subprocess.Popen(
        site.command("scan", "--library", str(root), "--workers", "0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    try:
        deadline = time.monotonic() + 120
        while not 0 < (_count(site) or 0) < COMICS:
            assert scan.poll() is None, "the scan ended before it could be killed"
            assert time.monotonic() < deadline, "the scan never wrote a batch"
            time.sleep(0.01)
        os.kill(scan.pid, signal.SIGKILL)
        assert scan.wait(timeout=30) == -signal.SIGKILL
    finally:
        if scan.poll() is None:
            scan.kill()
            scan.wait()
        if scan.stderr is not None:
            scan.stderr.close()
    kept = _count(site)
    assert kept is not None and 0 < kept < COMICS
    assert kept % 500 == 0, "a batch was half written"

    # The next scan completes: it reads what the killed one did not write, and nothing else.
    report = _scan(site, root)
    assert (report["new"], report["unchanged"], report["removed"]) == (COMICS - kept, kept, 0)
    assert report["unreadable"] == 0
    again = _scan(site, root)
    assert (again["new"], again["unchanged"]) == (0, COMICS)

    # The index is the one a single uninterrupted scan builds.
    fresh = new_site()
    _scan(fresh, root, "--full", "--workers", "0")
    expected, found = _index(fresh), _index(site)
    assert len(expected["comics"]) == COMICS
    for name in INDEX_TABLES:
        assert found[name] == expected[name], name
