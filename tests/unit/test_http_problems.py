"""``GET /api/v1/problems``: the unreadable files, for owners only, over a real SQLite index
built by the real scanner from real files (one of them garbage named ``x.cbz``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary
from tests.unit.scan_support import write_cbz

URL = "/api/v1/problems"
GARBAGE = b"\x00\x01 not an archive, only bytes " * 64
REASON = "the archive is corrupt, truncated or in an unsupported format"


@dataclass
class Server:
    client: TestClient[Any]
    app: ComicLibrary
    comics: Path
    owner: dict[str, str]
    reader: dict[str, str]
    started: datetime


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    comics = tmp_path / "comics"
    write_cbz(comics / "Acme" / "Hero 001.cbz")
    (comics / "Acme" / "x.cbz").write_bytes(GARBAGE)
    for n in range(3):
        (comics / "Broken" / f"b{n}.cbz").parent.mkdir(parents=True, exist_ok=True)
        (comics / "Broken" / f"b{n}.cbz").write_bytes(GARBAGE + bytes([n]))
    started = datetime.now(UTC).replace(microsecond=0)
    settings = load_settings(data_dir=str(tmp_path / "data"), environ={})
    app = ComicLibrary.from_settings(settings, workers=0)
    try:
        app.scan(comics)
        owner = app.accounts.create_token().secret
        app.accounts.add_user("kid", Role.READER)
        reader = app.accounts.create_token("kid").secret
        with TestClient(app.create_app()) as client:
            yield Server(client, app, comics, bearer(owner), bearer(reader), started)
    finally:
        app.close()


def test_an_owner_gets_the_unreadable_files_in_the_list_envelope(server: Server) -> None:
    response = server.client.get(URL, headers=server.owner)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("total", "page", "page_size", "total_pages", "has_more")} == {
        "total": 4,
        "page": 1,
        "page_size": 50,
        "total_pages": 1,
        "has_more": False,
    }
    root = str(server.comics)
    paths = [item["path"] for item in body["items"]]
    assert paths == [
        f"{root}/Acme/x.cbz",
        f"{root}/Broken/b0.cbz",
        f"{root}/Broken/b1.cbz",
        f"{root}/Broken/b2.cbz",
    ]
    first = body["items"][0]
    assert set(first) == {"id", "library", "path", "error", "tried_at"}
    assert (first["library"], first["error"]) == ("comics", REASON)
    tried = datetime.strptime(first["tried_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert server.started <= tried <= datetime.now(UTC)
    # The id is the comic's in the index, as every other endpoint names it.
    comic = server.app.container.library_index().comic_at(f"{root}/Acme/x.cbz")
    assert comic is not None and first["id"] == comic.id


def test_the_list_pages_like_every_other_list(server: Server) -> None:
    second = server.client.get(URL, params={"page": 2, "page_size": 3}, headers=server.owner)
    body = second.json()
    assert [item["path"].rsplit("/", 1)[1] for item in body["items"]] == ["b2.cbz"]
    assert (body["total"], body["page"], body["total_pages"], body["has_more"]) == (4, 2, 2, False)
    first = server.client.get(URL, params={"page_size": 3}, headers=server.owner).json()
    assert len(first["items"]) == 3 and first["has_more"] is True


def test_an_unchanged_list_revalidates_to_304(server: Server) -> None:
    first = server.client.get(URL, headers=server.owner)
    again = server.client.get(URL, headers={**server.owner, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_a_reader_is_forbidden(server: Server) -> None:
    response = server.client.get(URL, headers=server.reader)
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "forbidden"
    assert str(server.comics) not in response.text


def test_without_a_token_it_is_unauthorized(server: Server) -> None:
    response = server.client.get(URL)
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_a_repaired_file_leaves_the_list_after_the_next_scan(server: Server) -> None:
    write_cbz(server.comics / "Acme" / "x.cbz", salt="repaired")
    server.app.scan(server.comics)
    body = server.client.get(URL, headers=server.owner).json()
    assert body["total"] == 3
    assert all("/Broken/" in item["path"] for item in body["items"])


def test_the_route_is_in_the_openapi_document(server: Server) -> None:
    document = server.client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["get"]
    assert operation["tags"] == ["problems"]
    assert {"200", "401", "403", "503"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}
