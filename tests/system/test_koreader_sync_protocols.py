"""One reading position across KOReader and every other protocol, over a real
``bagboard serve``: what KOReader pushes is what ``/api/v1``, OPDS 2, Komga and the web
reader read, what they (and OPDS 1.2 page streams) write is what KOReader pulls (the page as
KOReader numbers it, its percentage, another device, a later time), read marks go both ways,
and KOReader's page order is translated where MuPDF's differs from bagboard's.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from bagboard.services.page_tracking import DELAY
from tests.browse_support import BACKENDS
from tests.system.koreader_support import (
    Comic,
    Served,
    expect_position,
    iso,
    koreader_percentage,
    now,
    served_collection,
)


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with served_collection(tmp_path_factory.mktemp("kosync-protocols"), request.param) as running:
        yield running


def api_put(served: Served, comic: Comic, page: int) -> None:
    body = {"path": str(comic.path), "page_number": page, "total_pages": comic.pages}
    with served.api() as api:
        answer = api.put("/api/v1/progress", json=body)
    assert answer.status_code == 200, answer.text


def is_read(served: Served, comic: Comic) -> bool:
    listed = bool(served.listed(comic)["is_read"])
    with served.api() as api:
        detail = api.get(f"/api/v1/issue/{served.comic_id(comic)}").json()
    assert detail["is_read"] == listed, detail
    return listed


# --- KOReader → every protocol ----------------------------------------------------------------


def test_koreaders_page_is_every_protocols_page(served: Served) -> None:
    comic = served.comic("sixty")
    kobo = served.koreader()
    before = now()
    answer = kobo.push(comic.document, 56, 60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["document"] == comic.document
    comic_id = served.comic_id(comic)

    position = served.api_position(comic)
    assert position["page_number"] == 56, position
    assert served.listed(comic)["last_page"] == 56

    progression = served.opds_progression(comic)
    assert progression.status_code == 200, progression.text
    assert progression.json()["position"] == 56, progression.json()

    read_progress = served.komga_book(comic)["readProgress"]
    assert read_progress["page"] == 56 and read_progress["completed"] is False, read_progress

    with served.web() as web:
        assert web.reader_config(comic_id)["start"] == 56
        assert "On page 56 of 60" in web.issue_page(comic_id)

    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 56, 60, since=before)
    assert body["percentage"] == 0.9333
    assert (body["device"], body["device_id"]) == (kobo.device, kobo.device_id)
    # Another KOReader of the same user (signed in with a token) is told where the first was.
    body = served.koreader_by_token(device="PocketBook Era").pulled(comic.document)
    expect_position(body, comic.document, 56, 60)
    assert body["device_id"] == kobo.device_id


# --- every protocol → KOReader ----------------------------------------------------------------


def write_api(served: Served, comic: Comic, page: int) -> None:
    api_put(served, comic, page)


def write_opds(served: Served, comic: Comic, page: int) -> None:
    """What an OPDS 2 reader (ComicCatcher) sends: its clock, its device, the position."""
    body = {
        "modified": iso(now()),
        "device": {"id": f"urn:uuid:{uuid.uuid4()}", "name": "ComicCatcher"},
        "progression": (page - 1) / (comic.pages - 1),
        "position": page,
    }
    with served.api() as api:
        answer = api.put(f"/opds/v2.0/issue/{served.comic_id(comic)}/progression", json=body)
    assert answer.status_code == 200, answer.text


def write_pse(served: Served, comic: Comic, page: int) -> None:
    """An OPDS 1.2 page-streaming reader fetching the page (``{pageNumber}`` counts from 0)."""
    with served.api() as api:
        answer = api.get(f"/opds/v1.2/issue/{served.comic_id(comic)}/pse/{page - 1}",
                         params={"track": "1"})  # fmt: skip
    assert answer.status_code == 200, answer.text


def write_komga(served: Served, comic: Comic, page: int) -> None:
    with served.api() as api:
        answer = api.patch(f"/komga/api/v1/books/{served.comic_id(comic)}/read-progress",
                           json={"page": page})  # fmt: skip
    assert answer.status_code == 204, answer.text


def write_web(served: Served, comic: Comic, page: int) -> None:
    with served.web() as web:
        answer = web.turn_to(served.comic_id(comic), page)
    assert answer.status_code == 200, answer.text


WRITERS: dict[str, Callable[[Served, Comic, int], None]] = {
    "api": write_api,
    "opds": write_opds,
    "pse": write_pse,
    "komga": write_komga,
    "web": write_web,
}


@pytest.mark.parametrize("protocol", list(WRITERS))
def test_another_protocols_page_is_what_koreader_pulls(served: Served, protocol: str) -> None:
    comic = served.comic(f"to-{protocol}")
    kobo = served.koreader()
    assert kobo.push(comic.document, 2, comic.pages).status_code == 200
    before = now()
    WRITERS[protocol](served, comic, 7)
    body = kobo.pulled(comic.document)
    if protocol == "pse":
        # A tracked page is written within half a second (``page_tracking.DELAY``); the
        # worker process that answers the pull may not be the one that served the page.
        deadline = time.monotonic() + 10 * DELAY
        while body.get("progress") != "7" and time.monotonic() < deadline:
            time.sleep(0.05)
            body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 7, comic.pages, since=before)
    assert body["percentage"] == 0.5833
    # Another device: KOReader would otherwise take it for its own and do nothing.
    assert isinstance(body.get("device_id"), str) and body["device_id"], body
    assert body["device_id"] != kobo.device_id, body
    assert isinstance(body.get("device"), str) and body["device"], body


# --- read marks -------------------------------------------------------------------------------


def test_koreaders_last_page_marks_the_comic_read(served: Served) -> None:
    comic = served.comic("finale")
    kobo = served.koreader_by_token()
    assert not is_read(served, comic)
    assert kobo.push(comic.document, comic.pages, comic.pages).status_code == 200
    assert is_read(served, comic)
    assert served.listed(comic)["last_page"] == comic.pages
    read_progress = served.komga_book(comic)["readProgress"]
    assert read_progress["completed"] is True and read_progress["page"] == comic.pages
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, comic.pages, comic.pages)
    assert body["percentage"] == 1.0


def mark_api(served: Served, comic: Comic) -> None:
    with served.api() as api:
        answer = api.post("/api/v1/issues/read", json={"path": str(comic.path)})
    assert answer.status_code == 200, answer.text


def mark_komga(served: Served, comic: Comic) -> None:
    with served.api() as api:
        answer = api.patch(f"/komga/api/v1/books/{served.comic_id(comic)}/read-progress",
                           json={"completed": True})  # fmt: skip
    assert answer.status_code == 204, answer.text


def mark_web(served: Served, comic: Comic) -> None:
    with served.web() as web:
        answer = web.mark_read(served.comic_id(comic))
    assert answer.status_code == 303, answer.text


MARKERS: dict[str, Callable[[Served, Comic], None]] = {
    "api": mark_api,
    "komga": mark_komga,
    "web": mark_web,
}


@pytest.mark.parametrize("protocol", list(MARKERS))
def test_marking_read_anywhere_puts_koreader_at_the_last_page(
    served: Served, protocol: str
) -> None:
    comic = served.comic(f"marked-{protocol}")
    kobo = served.koreader()
    assert kobo.push(comic.document, 3, comic.pages).status_code == 200
    before = now()
    MARKERS[protocol](served, comic)
    assert is_read(served, comic)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, comic.pages, comic.pages, since=before)
    assert body["percentage"] == 1.0
    assert body["device_id"] != kobo.device_id, body


def test_a_stale_replay_from_koreaders_queue_does_not_unmark(served: Served) -> None:
    comic = served.comic("replay")
    kobo = served.koreader()
    mark_api(served, comic)
    assert kobo.pulled(comic.document)["progress"] == str(comic.pages)
    # KOReader was offline at page 10 yesterday; its queue replays that write now.
    assert kobo.push(comic.document, 10, comic.pages).status_code == 200
    assert is_read(served, comic)
    assert served.komga_book(comic)["readProgress"]["completed"] is True


# --- page order -------------------------------------------------------------------------------


def test_resource_forks_after_the_pages_leave_the_numbers_alone(served: Served) -> None:
    """macOS Finder's zip: ``__MACOSX/._p001.jpg``… MuPDF shows them as pages 7-12 (after
    ours); bagboard shows six pages."""
    comic = served.comic("finder")
    kobo = served.koreader()
    assert kobo.push(comic.document, 4, 12).status_code == 200
    assert served.api_position(comic)["page_number"] == 4
    api_put(served, comic, 6)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 6, 12)
    assert body["percentage"] == 0.5


def test_resource_forks_before_the_pages_shift_the_numbers(served: Served) -> None:
    """macOS tar: ``._p001.jpg`` beside ``p001.jpg``. MuPDF's pages 1-6 are the forks and
    7-12 the pages, so KOReader's page 9 is bagboard's page 3."""
    comic = served.comic("bsdtar")
    kobo = served.koreader()
    assert kobo.push(comic.document, 9, 12).status_code == 200
    assert served.api_position(comic)["page_number"] == 3
    assert served.komga_book(comic)["readProgress"]["page"] == 3
    api_put(served, comic, 5)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 11, 12)
    assert body["percentage"] == 0.9166
    assert kobo.push(comic.document, 12, 12).status_code == 200
    assert served.api_position(comic)["page_number"] == 6
    assert is_read(served, comic)


def test_a_webp_page_koreader_cannot_show_is_skipped(served: Served) -> None:
    """``p001.jpg p002.webp p003.jpg p004.jpg``: four pages here, three in KOReader."""
    comic = served.comic("webby")
    kobo = served.koreader()
    assert kobo.push(comic.document, 2, 3).status_code == 200
    assert served.api_position(comic)["page_number"] == 3
    api_put(served, comic, 2)  # the WebP page: KOReader shows the page before it
    expect_position(kobo.pulled(comic.document), comic.document, 1, 3)
    api_put(served, comic, 4)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 3, 3)
    assert body["percentage"] == 1.0


def test_koreaders_last_real_page_of_a_zip_with_forks_marks_it_read(served: Served) -> None:
    """In the Finder zip KOReader's pages 7-12 are resource forks: its page 6 is the end."""
    comic = served.comic("finder")
    kobo = served.koreader_by_token()
    assert kobo.push(comic.document, 6, 12).status_code == 200
    assert is_read(served, comic)


def test_chapter_folders_in_another_order(served: Served) -> None:
    """``Chapter 1/001.jpg 002.jpg``, ``Chapter 1 - Extra/001.jpg``: KOReader shows the extra
    first, bagboard last."""
    comic = served.comic("chapters")
    kobo = served.koreader()
    assert kobo.push(comic.document, 2, 3).status_code == 200
    assert served.api_position(comic)["page_number"] == 1
    api_put(served, comic, 3)
    expect_position(kobo.pulled(comic.document), comic.document, 1, 3)
    api_put(served, comic, 2)
    expect_position(kobo.pulled(comic.document), comic.document, 3, 3)


def test_koreader_at_its_first_page_does_not_mark_a_comic_read(served: Served) -> None:
    """KOReader's page 1 of the chapters comic is bagboard's last image; a reader who has
    just opened the comic in KOReader (at 33 %) has not finished it."""
    comic = served.comic("chapters")
    kobo = served.koreader()
    assert kobo.push(comic.document, 1, 3).status_code == 200
    assert served.api_position(comic)["page_number"] == 3
    assert not is_read(served, comic)
    assert kobo.push(comic.document, 3, 3).status_code == 200
    assert is_read(served, comic)


def test_a_credits_page_sorted_otherwise(served: Served) -> None:
    """``p001.jpg p002.jpg _credits.jpg``: the credits lead here and close in KOReader."""
    comic = served.comic("credits")
    kobo = served.koreader()
    assert kobo.push(comic.document, 1, 3).status_code == 200
    assert served.api_position(comic)["page_number"] == 2
    api_put(served, comic, 3)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 2, 3)
    assert body["percentage"] == 0.6666
    # KOReader's last page: finished, though it shows bagboard's first image.
    assert kobo.push(comic.document, 3, 3).status_code == 200
    assert is_read(served, comic)


def test_koreaders_last_page_before_a_webp_ending_marks_it_read(served: Served) -> None:
    """``p001.jpg p002.jpg p003.webp``: KOReader ends at page 2 of 2 (100 %)."""
    comic = served.comic("webp-ending")
    kobo = served.koreader()
    assert kobo.push(comic.document, 2, 2).status_code == 200
    assert is_read(served, comic)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 2, 2)
    assert body["percentage"] == 1.0


# --- formats ----------------------------------------------------------------------------------


def test_a_cbr_syncs_its_pages(served: Served) -> None:
    comic = served.comic("cbr")
    kobo = served.koreader()
    assert kobo.push(comic.document, 2, 3).status_code == 200
    assert served.api_position(comic)["page_number"] == 2
    assert served.komga_book(comic)["readProgress"]["page"] == 2
    api_put(served, comic, 1)
    body = kobo.pulled(comic.document)
    expect_position(body, comic.document, 1, 3)
    assert body["percentage"] == koreader_percentage(1, 3) == 0.3333


def test_a_cbt_syncs_its_pages(served: Served) -> None:
    comic = served.comic("cbt")
    kobo = served.koreader()
    assert kobo.push(comic.document, 5, comic.pages).status_code == 200
    assert served.api_position(comic)["page_number"] == 5
    write_komga(served, comic, 6)
    expect_position(kobo.pulled(comic.document), comic.document, 6, comic.pages)


def test_the_api_sees_koreaders_write_in_the_sync_feed(served: Served) -> None:
    comic = served.comic("to-api")
    before = now()
    assert served.koreader().push(comic.document, 9, comic.pages).status_code == 200
    with served.api() as api:
        feed = api.get("/api/v1/progress/since", params={"ts": before}).json()
    rows = [item for item in feed["items"] if item["comic_path"] == str(comic.path)]
    assert [row["page_number"] for row in rows] == [9], feed
