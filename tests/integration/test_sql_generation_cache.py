"""Values remembered from the index (series searches, folder shapes, pages of comics) never
outlive it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from bagboard.adapters.storage import (
    SqlFolderBrowser,
    SqlLibraryIndex,
    SqlLibraryStore,
    SqlMetadataBrowser,
    make_engine,
)
from bagboard.adapters.storage.db.tables import index_generation
from bagboard.domain.browse import Sort
from bagboard.domain.comicinfo import ComicInfo
from bagboard.domain.pagination import PageRequest
from tests.integration.test_sql_index import ROOT, add, comic

FIRST_PAGE = PageRequest(1, 50)


@pytest.fixture
def other_process(sql_engine: Engine) -> Iterator[Engine]:
    """A second engine on the same database, as another process would open it."""
    engine = make_engine(sql_engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def _names(browser: SqlMetadataBrowser, library_id: int, query: str) -> list[str]:
    found = browser.series([library_id], None, query, Sort.ALPHA, FIRST_PAGE)
    return [facet.name for facet in found.items]


def test_a_search_sees_what_another_process_indexed_since(
    sql_engine: Engine, other_process: Engine
) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    writer = SqlLibraryIndex(sql_engine)
    add(writer, library_id, comic(f"{ROOT}/DC/Batman 001.cbz", info=ComicInfo(series="Batman")))
    browser = SqlMetadataBrowser(other_process)
    assert _names(browser, library_id, "bat") == ["Batman"]
    assert _names(browser, library_id, "bat") == ["Batman"]  # asked again: the same

    add(writer, library_id, comic(f"{ROOT}/DC/Batgirl 001.cbz", info=ComicInfo(series="Batgirl")))
    assert _names(browser, library_id, "bat") == ["Batgirl", "Batman"]

    changes_title = comic(
        f"{ROOT}/DC/Batman 002.cbz", info=ComicInfo(series="Robin", title="The Bat Signal")
    )
    add(writer, library_id, changes_title)
    assert _names(browser, library_id, "bat") == ["Batgirl", "Batman", "Robin"]


def test_every_index_write_moves_the_generation_on(sql_engine: Engine) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    index = SqlLibraryIndex(sql_engine)

    def generation() -> int | None:
        with sql_engine.connect() as conn:
            return conn.execute(select(index_generation.c.value)).scalar()

    before = generation() or 0
    add(index, library_id, comic(f"{ROOT}/DC/Batman 001.cbz"))
    add(index, library_id, comic(f"{ROOT}/DC/Batman 002.cbz"))
    assert generation() == before + 2


def test_folder_shapes_follow_what_another_process_indexed_since(
    sql_engine: Engine, other_process: Engine
) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    writer = SqlLibraryIndex(sql_engine)
    series = f"{ROOT}/DC/Batman"
    add(writer, library_id, comic(f"{series}/Batman 001.cbz"))
    browser = SqlFolderBrowser(other_process)
    shape = browser.shapes([series])[series]
    assert (shape.direct_count, shape.children) == (1, ())
    assert browser.shapes([series]) == {series: shape}  # asked again: the same

    add(writer, library_id, comic(f"{series}/v1985/Batman 001.cbz"))
    add(writer, library_id, comic(f"{series}/Batman 002.cbz"))
    shape = browser.shapes([series])[series]
    # (name, recursive count as the scan reported it: none here, direct count)
    assert (shape.direct_count, shape.children) == (2, (("v1985", 0, 1),))


def test_pages_of_comics_follow_what_another_process_indexed_since(
    sql_engine: Engine, other_process: Engine
) -> None:
    library_id = SqlLibraryStore(sql_engine).add("Comics", ROOT).id
    writer = SqlLibraryIndex(sql_engine)
    batman = ComicInfo(series="Batman", publisher="DC")
    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 001.cbz", info=batman))
    folders = SqlFolderBrowser(other_process)
    metadata = SqlMetadataBrowser(other_process)
    [folder] = folders.named([library_id], None, "DC")
    [series] = folders.named([library_id], [folder.id], "Batman")

    def listed() -> tuple[list[str], list[str], list[str]]:
        by_folder = folders.comics([series.id], FIRST_PAGE).items
        by_series = metadata.issues([library_id], "batman", "dc", Sort.ALPHA, FIRST_PAGE).items
        since = datetime(2000, 1, 1, tzinfo=UTC)
        recent = metadata.recent([library_id], since, FIRST_PAGE).items
        return [c.name for c in by_folder], [c.name for c in by_series], [c.name for c in recent]

    first = (["Batman 001.cbz"], ["Batman 001.cbz"], ["Batman 001.cbz"])
    assert listed() == first
    assert listed() == first  # asked again: the same

    add(writer, library_id, comic(f"{ROOT}/DC/Batman/Batman 002.cbz", info=batman))
    names = ["Batman 001.cbz", "Batman 002.cbz"]
    by_folder, by_series, recent = listed()
    assert (by_folder, by_series, sorted(recent)) == (names, names, names)
