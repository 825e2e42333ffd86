"""A library of untagged comics, laid out as people keep them, browsed in metadata mode over
HTTP on SQLite and PostgreSQL: every comic is in a publisher and a series (contract §4)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from bagboard.config import load_settings
from bagboard.domain.model import Library
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS, auth, database_url

PAGE = jpeg((20, 120, 40))
# Library/Series/issue (no publisher folder), one Publisher/Series/issue, one comic at the
# root, one tagged comic whose ComicInfo lacks Publisher and Number.
LAYOUT = {
    "Saga/Saga 001 (2012).cbz": None,
    "Saga/Saga 002 (2012).cbz": None,
    "Monstress/001.cbz": None,
    "Monstress/002.cbz": None,
    "Image/Paper Girls/Paper Girls 01.cbz": None,
    "Loose One-Shot.cbz": None,
    "Tagged/whatever 007.cbz": {"Series": "East of West"},
}


@dataclass
class Untagged:
    app: ComicLibrary
    client: TestClient[Any]
    library: Library
    root: Path
    token: str

    def items(self, url: str, **params: str) -> list[dict[str, Any]]:
        params = {"mode": "metadata", "page_size": "500", **params}
        response = self.client.get(f"/api/v1{url}", params=params, headers=auth(self.token))
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def names(self, url: str, **params: str) -> list[str]:
        return [item["name"] for item in self.items(url, **params)]

    def rescan(self) -> None:
        self.app.scanner().scan(self.library)


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Untagged]:
    root = (tmp_path / "comics").resolve()
    for relative, info in LAYOUT.items():
        members = {"p1.jpg": PAGE, "p2.jpg": PAGE}
        if info is not None:
            members["ComicInfo.xml"] = comicinfo_xml(info)
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        write_cbz(root / relative, members)
    with database_url(request.param, tmp_path) as url:
        settings = load_settings(data_dir=str(tmp_path / "data"), database_url=url)
        app = ComicLibrary.from_settings(settings, workers=0)
        try:
            library = app.libraries.add(str(root), "Comics")
            app.scanner().scan(library)
            token = app.accounts.create_token().secret
            with TestClient(app.create_app()) as client:
                yield Untagged(app, client, library, root, token)
        finally:
            app.close()


def test_every_untagged_comic_has_a_publisher_and_a_series(world: Untagged) -> None:
    assert world.names("/library/publishers") == ["Image", "Unknown publisher"]
    assert world.names("/library/series") == [
        "East of West",
        "Loose One-Shot",
        "Monstress",
        "Paper Girls",
        "Saga",
    ]
    assert world.names("/library/series", publisher="Image") == ["Paper Girls"]
    saga = world.items("/library/issues", series="Saga")
    assert [(i["name"], i["number"], i["year"], i["publisher"]) for i in saga] == [
        ("Saga 001 (2012).cbz", "1", "2012", "Unknown publisher"),
        ("Saga 002 (2012).cbz", "2", "2012", "Unknown publisher"),
    ]
    # The series of a comic named only by its number is its folder's name.
    monstress = world.items("/library/issues", series="Monstress")
    assert [(i["number"], i["has_comicinfo"]) for i in monstress] == [("1", False), ("2", False)]


def test_the_issue_detail_says_where_each_value_came_from(world: Untagged) -> None:
    (tagged,) = world.items("/library/issues", series="East of West")
    detail = world.client.get(f"/api/v1/issue/{tagged['id']}", headers=auth(world.token)).json()
    assert detail["has_comicinfo"] is True
    assert detail["metadata"]["series"] == "East of West"  # ComicInfo wins over the name
    assert detail["metadata"]["number"] == "7"
    assert detail["metadata"]["publisher"] == "Unknown publisher"
    assert detail["metadata_sources"] == {"number": "file name", "publisher": "fallback"}


def test_a_series_folder_renamed_moves_its_comics_to_the_new_series(world: Untagged) -> None:
    before = {i["name"]: i["id"] for i in world.items("/library/issues", series="Monstress")}
    (world.root / "Monstress").rename(world.root / "Monstress (2015)")
    world.rescan()
    assert "Monstress" not in world.names("/library/series")
    after = world.items("/library/issues", series="Monstress (2015)")
    # The same comics, ids kept, regrouped by their new folder.
    assert {i["name"]: i["id"] for i in after} == before
    assert world.items("/library/issues", series="Monstress") == []


def test_comics_indexed_before_names_filled_metadata_are_filled_by_the_next_scan(
    world: Untagged,
) -> None:
    # An index as an earlier version wrote it: untagged rows with blank groups and no sources,
    # and no series rows for them.
    with world.app.container.engine().begin() as conn:
        conn.execute(
            text(
                "UPDATE comics SET series = '', series_key = '', publisher = '', "
                "publisher_key = '', number = '', year = '', title = '', "
                "metadata_sources = NULL WHERE has_comicinfo = false"
            )
        )
        for table in ("series_facets", "publisher_series_facets", "publisher_facets"):
            conn.execute(text(f"DELETE FROM {table}"))
    world.rescan()
    assert world.names("/library/publishers") == ["Image", "Unknown publisher"]
    assert "Saga" in world.names("/library/series")
    assert len(world.items("/library/issues", series="Saga")) == 2
    # Filled once: the scan after that has nothing left to do.
    report = world.app.scanner().scan(world.library)
    assert (report.new, report.changed, report.moved) == (0, 0, 0)


def test_every_layout_is_browsable_by_folder(world: Untagged) -> None:
    def fs(url: str, **params: str) -> list[dict[str, Any]]:
        return world.items(url, mode="filesystem", **params)

    publishers = {item["name"]: item for item in fs("/library/publishers")}
    # The root holds a comic: it is a publisher too, named after its folder.
    assert sorted(publishers) == ["Image", "Monstress", "Saga", "Tagged", "comics"]
    # A series folder directly under the root is a publisher and its own series.
    (saga,) = fs("/library/series", publisher="Saga")
    assert (saga["name"], saga["path"], saga["count"]) == ("Saga", str(world.root / "Saga"), 2)
    issues = fs("/library/issues", publisher="Saga", series=saga["path"])
    assert [issue["name"] for issue in issues] == ["Saga 001 (2012).cbz", "Saga 002 (2012).cbz"]
    # The comic at the root, through the root's own publisher and series.
    root = publishers["comics"]["path"]
    (series,) = fs("/library/series", publisher=root)
    loose = fs("/library/issues", publisher=root, series=series["path"])
    assert [issue["name"] for issue in loose] == ["Loose One-Shot.cbz"]
    # And the Publisher/Series layout as before.
    assert [s["name"] for s in fs("/library/series", publisher="Image")] == ["Paper Girls"]
