"""``GET /library/recent``: comics first indexed in the last 30 days (contract §4.5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.browse_support import CBR_PATH, World
from tests.progress_writes import save_page

URL = "/api/v1/library/recent"
RECENT_KEYS = {
    "id",
    "value",
    "name",
    "path",
    "size",
    "added_at",
    "type",
    "has_progress",
    "last_page",
}
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def everything(world: World, token: str | None = None) -> list[dict[str, Any]]:
    body = world.json(URL, token, page_size="200")
    assert body["total"] == len(body["items"])
    items: list[dict[str, Any]] = body["items"]
    return items


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def test_recent_lists_comics_newest_first_in_the_recent_scope(world: World) -> None:
    body = world.json(URL)
    assert body["scope"] == "recent"
    assert "mode" not in body
    items = everything(world)
    assert names(items)[:3] == [
        "X-Men 001.cbr",
        "Amazing Spider-Man #1.cbz",
        "Amazing Spider-Man #1.5.cbz",
    ]
    stamps = [item["added_at"] for item in items]
    assert stamps == sorted(stamps, reverse=True)


def test_recent_items_carry_the_compat_keys(world: World) -> None:
    newest = everything(world)[0]
    path = f"{world.a}/{CBR_PATH}"
    mtime = Path(path).stat().st_mtime
    assert newest == {
        "id": world.comic_id(path),
        "value": "X-Men 001.cbr",
        "name": "X-Men 001.cbr",
        "path": path,
        "size": Path(path).stat().st_size,
        # The first scan dates a comic by its file's modification time, in UTC.
        "added_at": datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "type": "file",
        "has_progress": False,
        "last_page": None,
    }
    for item in everything(world):
        assert set(item) == RECENT_KEYS
        assert STAMP.match(item["added_at"])


def test_the_first_scan_keeps_old_files_out_of_recent(world: World) -> None:
    listed = names(everything(world))
    assert "Saga 01.cbz" not in listed  # 800 days old
    assert "Hidden 03.cbz" not in listed  # 31 days old
    assert "Hidden 02.cbz" in listed  # 29 days old
    # Every other comic of both libraries was modified within the last day.
    assert len(listed) == 21


def test_a_rescan_never_makes_old_files_recent_again(world: World) -> None:
    before = everything(world)
    scanner = world.app.scanner()
    for library in (world.lib_a, world.lib_b):
        scanner.scan(library, full=True)
    assert everything(world) == before


def test_recent_items_show_the_callers_progress(world: World) -> None:
    reader = world.new_reader()
    comic = world.comic_id(f"{world.a}/{CBR_PATH}")
    states = world.app.container.progress_store()
    save_page(
        states, world.app.container.library_index(), world.user_id(reader), comic, 2, world.now
    )
    assert everything(world, reader)[0]["has_progress"] is True
    assert everything(world, reader)[0]["last_page"] == 2
    assert everything(world)[0]["has_progress"] is False


def test_recent_pages(world: World) -> None:
    whole = names(everything(world))
    first = world.json(URL, page_size="20")
    second = world.json(URL, page="2", page_size="20")
    assert (first["total_pages"], first["has_more"], second["has_more"]) == (2, True, False)
    assert names(first["items"]) + names(second["items"]) == whole
