"""``/issue/<id>/pages`` and ``/issue/<id>/page/<n>``: reading without downloading (§5)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from bagboard.adapters.storage.index.pages import SqlPageCatalog
from bagboard.domain.images import FileStamp, PageInfo
from tests.browse_support import BACKENDS
from tests.issue_support import CBR_COMPRESSED, CORRUPT, PAGES, IssueWorld, issue_world

MARKED = "Acme/Marked/Marked 01.cbz"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IssueWorld]:
    with issue_world(request.param, tmp_path_factory) as built:
        yield built


@pytest.mark.parametrize(
    "relative",
    [MARKED, "Acme/Seven/Seven 01.cb7", "Acme/Tape/Tape 01.cbt"],
)
def test_pages_list_numbers_dimensions_sizes_and_types(world: IssueWorld, relative: str) -> None:
    response = world.get(world.url(relative, "/pages"))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "items": [
            {
                "number": n,
                "width": 600,
                "height": 900,
                "size": len(data),
                "media_type": "image/jpeg",
            }
            for n, data in enumerate(PAGES.values(), start=1)
        ],
        "total": 3,
    }
    assert response.headers["etag"]


def test_the_page_list_is_measured_once_and_stored(world: IssueWorld) -> None:
    relative = "Acme/Plain/Plain 01.cbz"
    world.get(world.url(relative, "/pages"))
    comic = world.app.container.library_index().comic(world.id_of(relative))
    assert comic is not None
    catalog = SqlPageCatalog(world.app.container.engine())
    stored = catalog.pages(comic.id, FileStamp.of(comic))
    assert stored is not None
    assert [page.name for page in stored] == list(PAGES)


def test_a_page_list_is_read_from_the_store_then_kept(world: IssueWorld) -> None:
    relative = "Acme/Ünïcode/Ça va 01.cbz"  # read by no other test of this module
    comic = world.app.container.library_index().comic(world.id_of(relative))
    assert comic is not None
    catalog = SqlPageCatalog(world.app.container.engine())
    stamp = FileStamp.of(comic)
    # What is served comes from the store, not measured again: a doctored list shows through,
    # and then stays, kept in memory for the file's version.
    doctored = PageInfo(1, "p01.jpg", 1, 2, 3, "image/jpeg")
    catalog.save(comic.id, stamp, [doctored])
    assert world.get(world.url(relative, "/pages")).json()["items"][0]["width"] == 1
    catalog.save(comic.id, stamp, [PageInfo(1, "p01.jpg", 7, 8, 9, "image/jpeg")])
    assert world.get(world.url(relative, "/pages")).json()["items"][0]["width"] == 1
    assert world.get(world.url(relative, "/page/1")).status_code == 200


def test_a_page_is_its_original_bytes(world: IssueWorld) -> None:
    for number, data in enumerate(PAGES.values(), start=1):
        response = world.get(world.url(MARKED, f"/page/{number}"))
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["cache-control"].startswith("private, max-age=")
        etag = response.headers["etag"]
        again = world.get(world.url(MARKED, f"/page/{number}"), headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_a_page_of_a_cbr(world: IssueWorld) -> None:
    response = world.get(world.url(CBR_COMPRESSED, "/page/2"))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).format == "JPEG"
    assert world.get(world.url(CBR_COMPRESSED, "/pages")).json()["total"] == 3


def test_a_resized_page_is_a_cached_jpeg(world: IssueWorld) -> None:
    url = world.url(MARKED, "/page/2")
    response = world.get(url, size="320")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG"
    assert image.size == (213, 320)
    cached = list((world.data_dir / "renditions").rglob(f"{world.id_of(MARKED)}-2-320.*.jpg"))
    assert [path.read_bytes() for path in cached] == [response.content]
    assert response.headers["etag"] != world.get(url).headers["etag"]
    assert world.get(url, size="x").status_code == 400


@pytest.mark.parametrize("number", ["0", "4", "-1", "two", "1.0", "99999999999999999999"])
def test_a_page_out_of_range_is_not_found(world: IssueWorld, number: str) -> None:
    response = world.get(world.url(MARKED, f"/page/{number}"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_corrupt_archive_is_422_never_500(world: IssueWorld) -> None:
    response = world.get(world.url(CORRUPT, "/pages"))
    assert response.status_code == 422
    assert str(world.root_a) not in response.text


def test_a_revalidated_page_is_answered_without_reading_the_archive(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with issue_world("sqlite", tmp_path_factory) as world:
        url = world.url(MARKED, "/page/2")
        etag = world.get(url).headers["etag"]
        (world.root_a / MARKED).unlink()  # gone from disk, not yet from the index
        assert world.get(url, headers={"If-None-Match": etag}).status_code == 304
        missing = world.get(url)
        assert missing.status_code == 404
        assert missing.json()["error"] == "not_found"
