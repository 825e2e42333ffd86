"""``GET /about`` (``/`` sends a browser to the web app's sign-in): a public page with the
version and the start addresses, at the address readers use, and nothing else."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from bagboard import open_library
from bagboard.adapters.http.home import render_home
from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from bagboard.version import __version__


def test_the_page_needs_no_token_and_links_to_the_start_addresses(tmp_path: Path) -> None:
    with (
        open_library(tmp_path, memory=True) as library,
        TestClient(library.create_app(), base_url="http://comics.local:8000") as client,
    ):
        page = client.get("/about")
        head = client.head("/about")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"bagboard <small>{__version__}</small>" in page.text
    for path in ("/api/v1/docs", "/opds/v1.2/catalog", "/opds/v2.0/catalog"):
        assert f'href="http://comics.local:8000{path}"' in page.text
    assert str(tmp_path) not in page.text
    assert head.status_code == 200 and head.content == b""


def test_the_links_follow_the_public_url(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=str(tmp_path), public_url="https://example.org/comics", environ={}
    )
    library = ComicLibrary.from_settings(settings, memory=True, workers=0)
    with library, TestClient(library.create_app()) as client:
        text = client.get("/about").text
    assert 'href="https://example.org/comics/opds/v2.0/catalog"' in text
    assert "testserver" not in text


def test_values_are_escaped() -> None:
    page = render_home("1<b>", "/d?a=1&b=2", "/o1", "/o2")
    assert "1&lt;b&gt;" in page and "/d?a=1&amp;b=2" in page
