"""Whatever the layout and tagging, walking publishers → series → issues in metadata mode
reaches every indexed comic, once (a property over generated libraries, scanned for real and
walked over HTTP as a client would, page by page)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.library import ComicLibrary
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.browse_support import auth

PAGE = jpeg((90, 90, 200), (8, 12))
FOLDERS = ["Marvel", "DC", "Image", "Saga", "v1985", "Vol. 2", "Ünïcode Co", "Imprint", "X 2099"]
NAMES = [
    "{series} {n:03}",
    "{series} #{n} ({year})",
    "{n:03}",
    "Vol. {n:02} Ch. {n:03}",
    "{series} v2 #{n} (of 12)",
    "{series} - {n:02} - A Title",
    "{series} Annual {year}",
    "one shot",
]
SERIES = ["Saga", "Batman", "Ünïcode", "100 Bullets", "saga"]
TAGS = st.one_of(
    st.none(),
    st.fixed_dictionaries({"Series": st.sampled_from(SERIES)}),
    st.fixed_dictionaries({"Publisher": st.sampled_from(["Marvel", "marvel", "Image"])}),
    st.fixed_dictionaries(
        {"Series": st.sampled_from(SERIES), "Publisher": st.sampled_from(["Marvel", "DC"])}
    ),
)


@st.composite
def comics(draw: st.DrawFn) -> tuple[str, dict[str, str] | None, bool]:
    folders = draw(st.lists(st.sampled_from(FOLDERS), max_size=4))
    template = draw(st.sampled_from(NAMES))
    name = template.format(
        series=draw(st.sampled_from(SERIES)),
        n=draw(st.integers(0, 120)),
        year=draw(st.integers(1960, 2025)),
    )
    corrupt = draw(st.integers(0, 9)) == 0  # one in ten: unreadable, still indexed
    return "/".join([*folders, f"{name}.cbz"]), draw(TAGS), corrupt


def _walk(client: TestClient[Any], token: str) -> list[int]:
    def pages(url: str, **params: str) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            query = {"mode": "metadata", "page": str(page), "page_size": "7", **params}
            response = client.get(f"/api/v1{url}", params=query, headers=auth(token))
            assert response.status_code == 200, response.text
            body = response.json()
            yield from body["items"]
            if page * 7 >= body["total"]:
                return
            page += 1

    reached: list[int] = []
    for publisher in pages("/library/publishers"):
        for series in pages("/library/series", publisher=publisher["value"]):
            issues = pages("/library/issues", series=series["value"], publisher=publisher["value"])
            reached += [issue["id"] for issue in issues]
    return reached


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(comics(), min_size=1, max_size=14, unique_by=lambda c: c[0].casefold()))
def test_every_comic_is_reached_once_in_metadata_mode(
    layout: list[tuple[str, dict[str, str] | None, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "comics").resolve()
        for relative, tags, corrupt in layout:
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if corrupt:
                path.write_bytes(b"not a zip at all")
                continue
            members = {"p1.jpg": PAGE}
            if tags is not None:
                members["ComicInfo.xml"] = comicinfo_xml(tags)
            write_cbz(path, members)
        settings_ = load_settings(data_dir=str(Path(tmp, "data")))
        app = ComicLibrary.from_settings(settings_, workers=0)
        try:
            library = app.libraries.add(str(root), "Comics")
            app.scanner().scan(library)
            snapshot = app.container.library_index().snapshot(library.id)
            indexed = {comic.id for comic in snapshot.comics.values()}
            token = app.accounts.create_token().secret
            with TestClient(app.create_app()) as client:
                reached = _walk(client, token)
        finally:
            app.close()
    assert len(indexed) == len(layout)
    assert sorted(reached) == sorted(indexed)
