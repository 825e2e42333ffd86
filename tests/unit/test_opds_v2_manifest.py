"""``/opds/v2.0/issue/<id>/manifest``: the DiViNa manifest readers page through."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from bagboard.adapters.http.opds.v2.manifest import jpeg_dimensions
from tests.browse_support import BACKENDS
from tests.opds2_support import (
    BASE,
    MANGA,
    PLAIN,
    PLAIN_PAGES,
    V2,
    WEBP,
    WEBP_PAGES,
    Opds2World,
    link,
    opds2_world,
)

DIVINA = "application/divina+json"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opds2World]:
    with opds2_world(request.param, tmp_path_factory) as built:
        yield built


def manifest_of(world: Opds2World, relative: str, token: str | None = None) -> dict[str, object]:
    response = world.get(f"{V2}/issue/{world.id_of(relative)}/manifest", token)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DIVINA
    body: dict[str, object] = response.json()
    return body


def test_the_manifest_lists_every_page_with_its_size(world: Opds2World) -> None:
    comic_id = world.id_of(PLAIN)
    manifest = manifest_of(world, PLAIN)
    assert manifest["@context"] == "https://readium.org/webpub-manifest/context.jsonld"
    assert manifest["readingOrder"] == [
        {
            "href": f"{BASE}/api/v1/issue/{comic_id}/page/{n}",
            "type": "image/jpeg",
            "width": 600,
            "height": 900,
        }
        for n in range(1, len(PLAIN_PAGES) + 1)
    ]
    metadata = manifest["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["identifier"] == f"urn:bagboard:issue:{comic_id}"
    assert metadata["conformsTo"] == "https://readium.org/webpub-manifest/profiles/divina"
    assert metadata["numberOfPages"] == 3
    assert "readingProgression" not in metadata
    assert link(manifest, "self") == {
        "rel": "self",
        "href": f"{V2}/issue/{comic_id}/manifest",
        "type": DIVINA,
    }
    assert link(manifest, "http://opds-spec.org/acquisition")["size"] > 0


def test_the_publication_in_a_feed_and_its_manifest_agree(world: Opds2World) -> None:
    feed = world.feed(f"{V2}/issues?series=Plain&publisher=Acme")
    [pub] = feed["publications"]
    manifest_url = link(pub, "self")["href"]
    manifest = world.get(manifest_url).json()
    assert manifest["metadata"] == pub["metadata"]
    assert manifest["links"] == pub["links"]


def test_each_page_is_fetchable_with_the_same_login(world: Opds2World) -> None:
    manifest = manifest_of(world, PLAIN)
    order = manifest["readingOrder"]
    assert isinstance(order, list)
    for item, data in zip(order, PLAIN_PAGES.values(), strict=True):
        response = world.get(item["href"])
        assert response.status_code == 200
        assert response.headers["content-type"] == item["type"]
        assert response.content == data


def test_webp_pages_get_a_jpeg_alternate(world: Opds2World) -> None:
    comic_id = world.id_of(WEBP)
    order = manifest_of(world, WEBP)["readingOrder"]
    assert isinstance(order, list)
    assert len(order) == len(WEBP_PAGES)
    for n, item in enumerate(order, start=1):
        assert item["type"] == "image/webp"
        assert (item["width"], item["height"]) == (800, 1200)
        [alternate] = item["alternate"]
        assert alternate == {
            "href": f"{BASE}/api/v1/issue/{comic_id}/page/{n}?size=1200",
            "type": "image/jpeg",
            "width": 800,
            "height": 1200,
        }
        original = world.get(item["href"])
        assert original.headers["content-type"] == "image/webp"
        converted = world.get(alternate["href"])
        assert converted.status_code == 200
        assert converted.headers["content-type"] == "image/jpeg"
        with Image.open(io.BytesIO(converted.content)) as image:
            assert image.format == "JPEG"
            assert image.size == (alternate["width"], alternate["height"])


def test_jpeg_pages_get_no_alternate(world: Opds2World) -> None:
    order = manifest_of(world, PLAIN)["readingOrder"]
    assert isinstance(order, list)
    assert all("alternate" not in item for item in order)


def test_manga_reads_right_to_left(world: Opds2World) -> None:
    metadata = manifest_of(world, MANGA)["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["readingProgression"] == "rtl"


def test_an_unknown_or_foreign_issue_is_a_404(world: Opds2World) -> None:
    for raw in ("999999", "abc", "-1"):
        assert world.get(f"{V2}/issue/{raw}/manifest").status_code == 404
    hidden = f"{V2}/issue/{world.hidden_id()}/manifest"
    assert world.get(hidden).status_code == 200
    assert world.get(hidden, world.kid).status_code == 404


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((800, 1200), (800, 1200)),  # a cached size: as it is
        ((600, 900), (533, 800)),  # snapped down to 800
        ((3000, 2000), (2000, 1333)),  # clamped to 2000
        ((40, 50), (40, 50)),  # never enlarged
        ((0, 0), (0, 0)),  # unknown
    ],
)
def test_jpeg_alternates_are_as_big_as_the_page_route_makes_them(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    assert jpeg_dimensions(*size) == expected
