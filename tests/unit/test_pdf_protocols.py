"""PDF comics in every protocol: ``/api/v1``, OPDS 1.2 with page streaming, OPDS 2 with a
DiViNa manifest, the Komga-compatible API, KOReader sync and progress, on each database.

The library holds a plain PDF (document information only, named in the folder layout), one
with a ComicInfo.xml attachment, an encrypted one and a page of 20,000 points; library B holds
a PDF that the limited user ``kid`` must never reach.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from PIL import Image

from bagboard.adapters.archive.pdf import MAX_LONG_EDGE
from bagboard.domain.kosync import partial_md5
from bagboard.domain.model import Role
from tests.browse_support import BACKENDS
from tests.pdf_factory import (
    page_images,
    write_encrypted_pdf,
    write_huge_page_pdf,
    write_pdf,
    write_pdf_with_comicinfo,
)
from tests.scanned_world import ScannedWorld, scanned_world

PLAIN = "Vellum/Night Watch/Night Watch 003.pdf"
TAGGED = "Vellum/Night Watch/Night Watch 004.pdf"
LOCKED = "Vellum/Night Watch/Night Watch 005.pdf"
POSTER = "Vellum/Poster/Poster 001.pdf"
HIDDEN = "Secret/Hidden/Hidden 001.pdf"
PDF = "application/pdf"
KOREADER_PASSWORD = "correct horse battery"
KOREADER_ACCEPT = "application/vnd.koreader.v1+json"
NS = {"a": "http://www.w3.org/2005/Atom", "pse": "http://vaemendis.net/opds-pse/ns"}


def write_library(base: Path) -> tuple[Path, Path]:
    a, b = (base / "pdf-a").resolve(), (base / "pdf-b").resolve()
    write_pdf(a / PLAIN, page_images(5, (300, 450)), info={"title": "Watchers"})
    write_pdf_with_comicinfo(
        a / TAGGED,
        {"Series": "Night Watch", "Number": "4", "Title": "Dawn", "Publisher": "Vellum"},
        pages=2,
    )
    write_encrypted_pdf(a / LOCKED)
    write_huge_page_pdf(a / POSTER)
    write_pdf(b / HIDDEN, 2)
    return a, b


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScannedWorld]:
    with scanned_world(ScannedWorld, request.param, tmp_path_factory, write_library) as built:
        yield built


def local(href: str) -> str:
    """The path and query of a link the server wrote as a full URL."""
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return image.size


# --- /api/v1 ------------------------------------------------------------------------------


def test_api_detail_says_pdf_with_its_page_count(world: ScannedWorld) -> None:
    detail = world.get(f"/api/v1/issue/{world.id_of(PLAIN)}").json()
    assert (detail["format"], detail["page_count"]) == ("pdf", 5)
    assert detail["metadata"]["title"] == "Watchers"
    assert detail["metadata"]["series"] == "Night Watch"
    tagged = world.get(f"/api/v1/issue/{world.id_of(TAGGED)}").json()
    assert (tagged["format"], tagged["page_count"], tagged["has_comicinfo"]) == ("pdf", 2, True)
    assert tagged["metadata"]["title"] == "Dawn"


def test_api_lists_pdfs_like_any_comic(world: ScannedWorld) -> None:
    answer = world.get("/api/v1/library/issues", publisher="Vellum", series="Night Watch")
    assert answer.status_code == 200, answer.text
    names = {item["name"] for item in answer.json()["items"]}
    assert {"Night Watch 003.pdf", "Night Watch 004.pdf"} <= names


def test_api_cover_pages_and_page_images(world: ScannedWorld) -> None:
    comic_id = world.id_of(PLAIN)
    cover = world.get(f"/api/v1/issue/{comic_id}/cover", size="200")
    assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"
    assert size_of(cover.content) == (133, 200)
    pages = world.get(f"/api/v1/issue/{comic_id}/pages").json()
    assert pages["total"] == 5
    assert {(p["width"], p["height"], p["media_type"]) for p in pages["items"]} == {
        (300, 450, "image/jpeg")
    }
    page = world.get(f"/api/v1/issue/{comic_id}/page/5")
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    assert size_of(page.content) == (300, 450)
    assert world.get(f"/api/v1/issue/{comic_id}/page/6").status_code == 404
    poster = world.get(f"/api/v1/issue/{world.id_of(POSTER)}/page/1")
    assert size_of(poster.content) == (MAX_LONG_EDGE, MAX_LONG_EDGE)


def test_api_download_is_the_pdf_with_ranges(world: ScannedWorld) -> None:
    comic_id = world.id_of(PLAIN)
    whole = world.get(f"/api/v1/issue/{comic_id}/download")
    assert whole.status_code == 200
    assert whole.headers["content-type"] == PDF
    assert whole.content == Path(world.path(PLAIN)).read_bytes()
    part = world.get(f"/api/v1/issue/{comic_id}/download", headers={"Range": "bytes=0-4"})
    assert part.status_code == 206 and part.content == b"%PDF-"
    document = world.get("/api/v1/openapi.json").json()
    download = document["paths"]["/api/v1/issue/{issue_id}/download"]["get"]
    assert PDF in download["responses"]["200"]["content"]


def test_an_encrypted_pdf_is_a_problem_not_a_page(world: ScannedWorld) -> None:
    problems = world.get("/api/v1/problems")
    assert problems.status_code == 200, problems.text
    reasons = {item["path"]: item["error"] for item in problems.json()["items"]}
    assert reasons == {world.path(LOCKED): "the PDF is encrypted"}
    assert world.get(f"/api/v1/issue/{world.id_of(LOCKED)}/page/1").status_code in (404, 422)


def test_the_hidden_library_s_pdf_stays_hidden(world: ScannedWorld) -> None:
    hidden = world.id_of(HIDDEN, world.root_b)
    assert world.get(f"/api/v1/issue/{hidden}/download", world.kid).status_code == 404
    assert world.get(f"/opds/v1.2/issue/{hidden}/pse/0", world.kid).status_code == 404


def test_progress_and_read_marks_as_for_any_comic(world: ScannedWorld) -> None:
    reader = world.new_reader()
    path = world.path(PLAIN)
    saved = world.put("/api/v1/progress", {"path": path, "page_number": 3}, reader)
    assert saved.status_code == 200, saved.text
    detail = world.get(f"/api/v1/issue/{world.id_of(PLAIN)}", reader).json()
    assert detail["progress"]["page_number"] == 3
    marked = world.client.post(
        "/api/v1/issues/read", json={"path": path}, headers={"Authorization": f"Bearer {reader}"}
    )
    assert marked.status_code in (200, 201, 204), marked.text
    assert world.get(f"/api/v1/issue/{world.id_of(PLAIN)}", reader).json()["is_read"] is True


# --- OPDS ---------------------------------------------------------------------------------


def test_opds1_acquisition_is_the_pdf_and_pages_stream_as_jpeg(world: ScannedWorld) -> None:
    comic_id = world.id_of(PLAIN)
    feed = world.get("/opds/v1.2/issues", publisher="Vellum", series="Night Watch")
    assert feed.status_code == 200, feed.text
    root = ElementTree.fromstring(feed.content)
    entry = next(
        e
        for e in root.findall("a:entry", NS)
        if any(f"/issue/{comic_id}/" in (link.get("href") or "") for link in e.iter())
    )
    links = {link.get("rel"): link for link in entry.findall("a:link", NS)}
    acquisition = links["http://opds-spec.org/acquisition"]
    assert acquisition.get("type") == PDF
    stream = links["http://vaemendis.net/opds-pse/stream"]
    assert stream.get("type") == "image/jpeg"
    assert stream.get(f"{{{NS['pse']}}}count") == "5"
    file = world.get(local(str(acquisition.get("href"))))
    assert file.status_code == 200 and file.headers["content-type"] == PDF
    page = world.get(f"/opds/v1.2/issue/{comic_id}/pse/4", width="120")
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    assert size_of(page.content) == (120, 180)


def test_opds2_publication_and_divina_manifest(world: ScannedWorld) -> None:
    comic_id = world.id_of(PLAIN)
    publication = world.get(f"/opds/v2.0/issue/{comic_id}")
    assert publication.status_code == 200, publication.text
    types = {link.get("type") for link in publication.json()["links"]}
    assert PDF in types
    manifest = world.get(f"/opds/v2.0/issue/{comic_id}/manifest")
    assert manifest.status_code == 200, manifest.text
    order = manifest.json()["readingOrder"]
    assert len(order) == 5
    assert {(item["type"], item["width"], item["height"]) for item in order} == {
        ("image/jpeg", 300, 450)
    }
    image = world.get(local(str(order[0]["href"])))
    assert image.status_code == 200 and size_of(image.content) == (300, 450)


# --- Komga --------------------------------------------------------------------------------


def test_komga_book_is_a_pdf_whose_pages_are_images(world: ScannedWorld) -> None:
    comic_id = world.id_of(PLAIN)
    key = {"X-API-Key": world.owner}
    book = world.client.get(f"/komga/api/v1/books/{comic_id}", headers=key).json()
    assert book["media"]["mediaType"] == PDF
    assert book["media"]["mediaProfile"] == "PDF"
    assert book["media"]["pagesCount"] == 5
    pages = world.client.get(f"/komga/api/v1/books/{comic_id}/pages", headers=key).json()
    assert [page["mediaType"] for page in pages] == ["image/jpeg"] * 5
    assert [page["number"] for page in pages] == [1, 2, 3, 4, 5]
    image = world.client.get(f"/komga/api/v1/books/{comic_id}/pages/2", headers=key)
    assert image.status_code == 200 and size_of(image.content) == (300, 450)
    thumbnail = world.client.get(f"/komga/api/v1/books/{comic_id}/thumbnail", headers=key)
    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    file = world.client.get(f"/komga/api/v1/books/{comic_id}/file", headers=key)
    assert file.status_code == 200 and file.headers["content-type"] == PDF
    assert file.content[:5] == b"%PDF-"
    marked = world.client.patch(
        f"/komga/api/v1/books/{comic_id}/read-progress", json={"page": 2}, headers=key
    )
    assert marked.status_code == 204, marked.text
    again = world.client.get(f"/komga/api/v1/books/{comic_id}", headers=key).json()
    assert again["readProgress"]["page"] == 2


# --- KOReader -----------------------------------------------------------------------------


def test_koreader_pages_of_a_pdf_are_its_pages(world: ScannedWorld) -> None:
    name = "pdf-koreader"
    user = world.app.accounts.add_user(name, Role.READER, None)
    world.app.container.password_check().set(user, KOREADER_PASSWORD)
    key = hashlib.md5(KOREADER_PASSWORD.encode()).hexdigest()
    with Path(world.path(PLAIN)).open("rb") as file:
        document = partial_md5(file)
    headers = {"x-auth-user": name, "x-auth-key": key, "accept": KOREADER_ACCEPT}
    body = {"document": document, "progress": "4", "percentage": 0.8, "device": "Kobo"}
    pushed = world.client.put("/koreader/syncs/progress", json=body, headers=headers)
    assert pushed.status_code == 200, pushed.text
    token = world.app.accounts.create_token(name).secret
    detail = world.get(f"/api/v1/issue/{world.id_of(PLAIN)}", token).json()
    assert detail["progress"]["page_number"] == 4
    pulled = world.client.get(f"/koreader/syncs/progress/{document}", headers=headers).json()
    assert pulled["progress"] == "4"
