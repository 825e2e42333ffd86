"""Behind a proxy under a path prefix, every link of every OPDS document carries the prefix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from litestar.testing import TestClient

from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import auth
from tests.scanned_world import served_folder

PUBLIC = "https://comics.example.org/lib"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient[Any], str]]:
    base = tmp_path_factory.mktemp("prefix")
    info = comicinfo_xml({"Series": "Saga", "Number": "1", "Publisher": "Image"})
    comic = base / "lib" / "Image" / "Saga" / "Saga 01.cbz"
    comic.parent.mkdir(parents=True)
    write_cbz(comic, {"a.jpg": jpeg((9, 9, 9)), "ComicInfo.xml": info})
    with served_folder(base / "lib", base / "data", public_url=PUBLIC + "/") as served:
        yield served


def _hrefs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("href", "id") and isinstance(value, str) and "://" in value:
                yield value
            else:
                yield from _hrefs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _hrefs(item)


@pytest.mark.parametrize(
    "path",
    [
        "/opds/v1.2/catalog",
        "/opds/v1.2/publishers",
        "/opds/v1.2/issues?series=Saga",
        "/opds/v1.2/opensearch.xml",
    ],
)
def test_atom_links_carry_the_prefix(client: tuple[TestClient[Any], str], path: str) -> None:
    test_client, token = client
    response = test_client.get(path, headers=auth(token))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    found = [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name in ("href", "template")
    ]
    assert found
    assert all(value.startswith(PUBLIC + "/") for value in found), found


@pytest.mark.parametrize(
    "path", ["/opds/v2.0/catalog", "/opds/v2.0/issues?series=Saga", "/opds/v2.0/auth"]
)
def test_json_links_carry_the_prefix(client: tuple[TestClient[Any], str], path: str) -> None:
    test_client, token = client
    response = test_client.get(path, headers=auth(token))
    assert response.status_code == 200
    found = list(_hrefs(json.loads(response.content)))
    assert found
    assert all(value.startswith(PUBLIC + "/") for value in found), found


def test_the_manifest_pages_carry_the_prefix(client: tuple[TestClient[Any], str]) -> None:
    test_client, token = client
    feed = test_client.get("/opds/v2.0/issues?series=Saga", headers=auth(token)).json()
    manifest = next(
        link["href"] for link in feed["publications"][0]["links"] if link["rel"] == "self"
    )
    path = manifest.removeprefix(PUBLIC)
    document = test_client.get(path, headers=auth(token)).json()
    pages = [item["href"] for item in document["readingOrder"]]
    assert pages == [f"{PUBLIC}/api/v1/issue/{Path(path).parent.name}/page/1"]
