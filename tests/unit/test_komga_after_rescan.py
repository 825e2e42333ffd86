"""``/komga`` series and books show a rescan at once: what is kept between requests (comics,
series ids, the facts a series takes from its books) is read again after an index write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kjson

SAGA = "Image/Saga/Saga 01.cbz"


@pytest.fixture(params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        yield built


def _saga(world: World) -> dict[str, Any]:
    page = kjson(world, "/api/v1/series", search="Saga", library_id=str(world.lib_a.id))
    found = [s for s in page["content"] if s["name"] == "Saga"]
    assert len(found) == 1, page
    return found[0]


def test_a_rewritten_book_shows_in_its_series_and_books(world: World) -> None:
    before = _saga(world)
    assert before["metadata"]["summary"] == "" and before["booksCount"] == 1
    assert kjson(world, f"/api/v1/series/{before['id']}") == before  # asked twice: kept

    path = Path(world.a) / SAGA
    info = {
        "Series": "Saga",
        "Number": "1",
        "Year": "2013",
        "Publisher": "Image",
        "Writer": "Brian K. Vaughan",
        "Summary": "A war between worlds.",
    }
    stamp = path.stat().st_mtime + 60
    write_cbz(path, {"p001.jpg": jpeg((10, 10, 10)), "ComicInfo.xml": comicinfo_xml(info)})
    os.utime(path, (stamp, stamp))
    second = Path(world.a) / "Image/Saga/Saga 02.cbz"
    write_cbz(second, {"p001.jpg": jpeg((10, 10, 10)), "ComicInfo.xml": comicinfo_xml(info)})
    world.app.scanner().scan(world.lib_a)

    after = _saga(world)
    assert after["id"] == before["id"]
    assert after["booksCount"] == 2
    assert after["metadata"]["summary"] == "A war between worlds."
    assert {"name": "Brian K. Vaughan", "role": "writer"} in after["booksMetadata"]["authors"]
    assert after["booksMetadata"]["releaseDate"] == "2013-01-01"
    assert kjson(world, f"/api/v1/series/{after['id']}") == after
    books = kjson(world, f"/api/v1/series/{after['id']}/books")
    assert [b["name"] for b in books["content"]] == ["Saga 01", "Saga 02"]
    assert {b["metadata"]["summary"] for b in books["content"]} == {"A war between worlds."}
