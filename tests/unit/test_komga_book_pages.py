"""A page of a series' books without filters (Komga's default, or sorted by ``numberSort``)
is read alone (``SeriesCatalog.book_page``); each such page must be the matching slice of the
list the general path builds from every book of the series."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bagboard.services.series_catalog import SeriesCatalog
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kjson

# Natural order of the numbers (the series' issue order) and numeric order differ: 1.5 comes
# before 1.10 in the first, after it in the second.
NUMBERS = ["1", "1.5", "1.10", "2", "10", "3"]


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        root = (tmp_path_factory.mktemp("numbers") / "numbers").resolve()
        (root / "Odd Numbers").mkdir(parents=True)
        for n, number in enumerate(NUMBERS):
            write_cbz(
                root / "Odd Numbers" / f"book {n}.cbz",
                {
                    "p001.jpg": jpeg((10 * n, 10, 10)),
                    "p002.jpg": jpeg((10, 10, 10 * n)),
                    "ComicInfo.xml": comicinfo_xml({"Series": "Odd Numbers", "Number": number}),
                },
            )
        library = built.app.libraries.add(str(root), "Numbers")
        built.app.scanner().scan(library)
        yield built


def _series_ids(world: World) -> list[str]:
    ids: list[str] = []
    for library in world.app.libraries.list():
        page = kjson(world, "/api/v1/series", library_id=library.id, unpaged="true")
        ids += [series["id"] for series in page["content"]]
    return ids


def _general(world: World, series_id: str, **params: Any) -> dict[str, Any]:
    # A filter every book passes takes the general path (every book built, filtered, sorted).
    page: dict[str, Any] = kjson(
        world,
        f"/api/v1/series/{series_id}/books",
        unpaged="true",
        media_status="READY,ERROR,UNKNOWN",
        **params,
    )
    return page


def _read_some(world: World, series_id: str) -> None:
    books = kjson(world, f"/api/v1/series/{series_id}/books", unpaged="true")["content"]
    for n, book in enumerate(books[:3]):
        body = {"completed": True} if n == 0 else {"page": 1}
        response = world.client.patch(
            f"/komga/api/v1/books/{book['id']}/read-progress",
            json=body,
            headers={"X-API-Key": world.owner},
        )
        assert response.status_code == 204, response.text


@pytest.mark.parametrize(
    "sort", [None, "metadata.numberSort,asc", "metadata.numberSort,desc", "metadata.numberSort"]
)
def test_book_pages_are_slices_of_the_general_list(
    world: World, monkeypatch: pytest.MonkeyPatch, sort: str | None
) -> None:
    extra = {} if sort is None else {"sort": sort}
    series_ids = _series_ids(world)
    assert len(series_ids) >= 4
    for series_id in series_ids:
        _read_some(world, series_id)
        whole = _general(world, series_id, **extra)
        total = whole["totalElements"]
        assert total >= 1

        def built_in_full(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("a plain page built every book of the series")

        with monkeypatch.context() as patched:
            patched.setattr(SeriesCatalog, "series", built_in_full)
            for size in (1, 2, 4):
                pages = [
                    kjson(
                        world,
                        f"/api/v1/series/{series_id}/books",
                        page=n,
                        size=size,
                        deleted="false",
                        **extra,
                    )
                    for n in range(-(-total // size) + 1)
                ]
                for number, page in enumerate(pages):
                    assert page["totalElements"] == total
                    expected = whole["content"][number * size : (number + 1) * size]
                    assert page["content"] == expected
            unpaged = kjson(world, f"/api/v1/series/{series_id}/books", unpaged="true", **extra)
        assert unpaged["content"] == whole["content"]
        assert any(book["readProgress"] for book in whole["content"])


def test_number_sort_orders_numerically_where_the_issue_order_does_not(world: World) -> None:
    library = next(lib for lib in world.app.libraries.list() if lib.name == "Numbers")
    series = kjson(world, "/api/v1/series", library_id=library.id)["content"][0]
    path = f"/api/v1/series/{series['id']}/books"

    def numbers(**params: Any) -> list[str]:
        page = kjson(world, path, unpaged="true", **params)
        return [book["metadata"]["number"] for book in page["content"]]

    assert numbers() == ["1", "1.5", "1.10", "2", "3", "10"]
    assert numbers(sort="metadata.numberSort,asc") == ["1", "1.10", "1.5", "2", "3", "10"]
    assert numbers(sort="metadata.numberSort,desc") == ["10", "3", "2", "1.5", "1.10", "1"]


def test_filters_and_other_sorts_keep_the_general_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = SeriesCatalog.series

    def counted(self: SeriesCatalog, user: Any, raw_id: str) -> Any:
        calls.append(raw_id)
        return original(self, user, raw_id)

    monkeypatch.setattr(SeriesCatalog, "series", counted)
    series_id = _series_ids(world)[0]
    for params in (
        {"sort": "name,asc"},
        {"sort": "metadata.numberSort,asc", "read_status": "UNREAD"},
        {"media_status": "READY"},
        {"deleted": "true"},
        {"search": "a"},
    ):
        calls.clear()
        kjson(world, f"/api/v1/series/{series_id}/books", **params)
        assert calls == [series_id], params


def test_a_hidden_or_unknown_series_is_404(world: World) -> None:
    for series_id in ("999999", "x", "-1"):
        response: httpx.Response = world.client.get(
            f"/komga/api/v1/series/{series_id}/books", headers={"X-API-Key": world.owner}
        )
        assert response.status_code == 404
