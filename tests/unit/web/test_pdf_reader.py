"""The web app over a PDF: its page, the reader's page list, its page images, its download."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.pdf_factory import page_images, write_pdf
from tests.unit.web.support import WebWorld, web_world

PDF = "Vellum/Night Watch/Night Watch 003.pdf"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebWorld, int]]:
    base = tmp_path_factory.mktemp("web-pdf")
    with web_world(base) as world:
        root = (base / "pdfs").resolve()
        write_pdf(root / PDF, page_images(3, (200, 300)))
        library = world.library.libraries.add(str(root), "PDFs")
        world.library.scanner().scan(library)
        yield world, world.comic_id(str(root / PDF))


def test_the_reader_pages_through_a_pdf(web: tuple[WebWorld, int]) -> None:
    world, comic_id = web
    client = world.signed_in("owner")
    page = client.get(f"/issue/{comic_id}")
    assert page.status_code == 200 and "3 pages" in page.text
    reader = client.get(f"/read/{comic_id}")
    found = re.search(
        r'<script type="application/json" id="reader-config">(.*?)</script>', reader.text
    )
    assert found
    config = json.loads(found.group(1))
    assert config["pages"] == [[200, 300]] * 3
    image = client.get(f"{config['images']}2")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(image.content)) as decoded:
        assert decoded.size == (200, 300)
    cover = client.get(f"/web/issue/{comic_id}/cover?size=200")
    assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"


def test_the_download_is_the_pdf(web: tuple[WebWorld, int]) -> None:
    world, comic_id = web
    download = world.signed_in("owner").get(f"/issue/{comic_id}/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.content[:5] == b"%PDF-"
