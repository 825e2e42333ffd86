"""``/api/v1/readlists``, ``/library/on-deck``, ``/library/continue-reading`` and
``/issue/<id>/lists`` over a real app and a scanned library (``readlist_world``), with CBL
files the tests write."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bagboard.adapters.readlists.cbl import read_cbl
from bagboard.domain.model import Role
from bagboard.domain.readlists import MAX_LIST_FILE_BYTES, ListBook
from tests import readlist_world
from tests.browse_support import auth
from tests.readlist_support import cbl
from tests.readlist_world import API, World

# The shared fixture, bound here by name.
world = readlist_world.world

CIVIL_WAR = (("Civil War", "1", "2006", "2006"), ("Civil War", "2", "2006", "2006"))
SPIDEY = ("Amazing Spider-Man", "532", "", "2006")
SECRET_WARS = ("Secret Wars", "1", "", "1984")
UNKNOWN = ("Nobody's Series", "9", "", "")


def books_of(report: dict[str, Any], status: str) -> list[tuple[int, str, str]]:
    return [(b["position"], b["series"], b["number"]) for b in report[status]]


# --- import, show, issues ---------------------------------------------------------------------


def test_an_imported_list_reports_each_book_and_shows_every_entry(world: World) -> None:
    token = world.user()
    data = cbl("Civil War reading order", [CIVIL_WAR[0], SPIDEY, UNKNOWN, CIVIL_WAR[1]], "Read it")
    report = world.imported(data, token)
    header = report["list"]
    assert (header["kind"], header["name"], header["summary"]) == (
        "list",
        "Civil War reading order",
        "Read it",
    )
    assert (header["shared"], header["editable"], header["entries"], header["comics"]) == (
        False,
        True,
        4,
        3,
    )
    first = world.comic_id("Civil War/Civil War 001.cbz")
    second = world.comic_id("Civil War/Civil War 002.cbz")
    assert header["cover_issue_id"] == first
    assert books_of(report, "matched") == [(1, "Civil War", "1"), (4, "Civil War", "2")]
    assert books_of(report, "missing") == [(3, "Nobody's Series", "9")]
    [ambiguous] = report["ambiguous"]
    copies = {
        world.comic_id("Spider-Man/ASM 532 (a).cbz"),
        world.comic_id("Spider-Man 2/ASM 532 (b).cbz"),
    }
    assert set(ambiguous["candidates"]) == copies and ambiguous["issue_id"] in copies
    assert report["missing"][0]["issue_id"] is None

    listed = world.json("/readlists", token)
    assert [(item["id"], item["name"]) for item in listed["items"]] == [
        (header["id"], "Civil War reading order")
    ]
    assert listed["total"] == 1

    shown = world.json(f"/readlists/{header['id']}", token)
    assert shown["list"] == header
    assert [(e["position"], e["series"], e["number"], e["year"]) for e in shown["items"]] == [
        (1, "Civil War", "1", 2006),
        (2, "Amazing Spider-Man", "532", 2006),
        (3, "Nobody's Series", "9", None),
        (4, "Civil War", "2", 2006),
    ]
    issues = [None if e["issue"] is None else e["issue"]["id"] for e in shown["items"]]
    assert issues == [first, ambiguous["issue_id"], None, second]
    item = shown["items"][0]["issue"]
    assert (item["series"], item["number"], item["is_read"], item["has_progress"]) == (
        "Civil War",
        "1",
        False,
        False,
    )
    # Paged: the second page of two holds the last two entries.
    paged = world.json(f"/readlists/{header['id']}", token, page=2, page_size=2)
    assert [e["position"] for e in paged["items"]] == [3, 4]
    assert (paged["total"], paged["total_pages"], paged["has_more"]) == (4, 2, False)

    comics = world.json(f"/readlists/{header['id']}/issues", token)
    assert [i["id"] for i in comics["items"]] == [first, ambiguous["issue_id"], second]
    assert comics["mode"] == "metadata" and comics["total"] == 3


def test_a_book_named_twice_is_two_entries_and_one_issue(world: World) -> None:
    token = world.user()
    report = world.imported(cbl("Twice", [CIVIL_WAR[0], CIVIL_WAR[1], CIVIL_WAR[0]]), token)
    list_id = report["list"]["id"]
    assert books_of(report, "matched") == [
        (1, "Civil War", "1"),
        (2, "Civil War", "2"),
        (3, "Civil War", "1"),
    ]
    shown = world.json(f"/readlists/{list_id}", token)
    assert len(shown["items"]) == 3 and shown["list"]["comics"] == 2
    comics = world.json(f"/readlists/{list_id}/issues", token)
    assert [i["number"] for i in comics["items"]] == ["1", "2"]


def test_importing_a_list_of_the_same_name_replaces_it(world: World) -> None:
    token = world.user()
    first = world.imported(cbl("Event", [*CIVIL_WAR, SPIDEY]), token)["list"]
    again = world.imported(cbl("event", [CIVIL_WAR[1]]), token)["list"]
    assert again["id"] == first["id"] and again["entries"] == 1
    listed = world.json("/readlists", token)["items"]
    assert [(item["id"], item["entries"]) for item in listed] == [(first["id"], 1)]
    shown = world.json(f"/readlists/{first['id']}", token)
    assert [(e["series"], e["number"]) for e in shown["items"]] == [("Civil War", "2")]


def test_a_file_naming_no_list_is_imported_under_a_default_name(world: World) -> None:
    token = world.user()
    data = b'<ReadingList><Books><Book Series="Civil War" Number="2"/></Books></ReadingList>'
    header = world.imported(data, token)["list"]
    assert (header["name"], header["entries"], header["comics"]) == ("Reading list", 1, 1)
    export = world.get(f"/readlists/{header['id']}/cbl", token)
    assert export.headers["content-disposition"] == 'attachment; filename="Reading list.cbl"'


def test_a_list_body_may_exceed_the_apps_one_mebibyte(world: World) -> None:
    token = world.user()
    padding = b" " * (2 * 1024 * 1024)
    data = cbl("Padded", [CIVIL_WAR[0]]).replace(b"<Books>", b"<Books>" + padding)
    assert len(data) > 2 * 1024 * 1024
    report = world.imported(data, token)
    assert books_of(report, "matched") == [(1, "Civil War", "1")]


# --- refused files ------------------------------------------------------------------------------


BILLION_LAUGHS = (
    "<!DOCTYPE r ["
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    + "]><ReadingList><Name>&l9;</Name><Books><Book Series='Civil War' Number='1'/></Books>"
    "</ReadingList>"
).encode()
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<ReadingList><Name>&x;</Name><Books><Book Series='Civil War' Number='1'/></Books>"
    b"</ReadingList>"
)


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, b"not xml at all", b"<Comic><Name>x</Name></Comic>", b""],
    ids=["billion-laughs", "external-entity", "not-xml", "not-a-list", "empty"],
)
def test_a_body_that_is_not_a_safe_cbl_list_is_400_and_saves_nothing(
    world: World, data: bytes
) -> None:
    token = world.user()
    response = world.send(data, token)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_reading_list"
    assert "passwd" not in body["message"] and "lol" not in body["message"]
    assert world.json("/readlists", token)["items"] == []


def test_a_body_over_ten_mebibytes_is_413_and_saves_nothing(world: World) -> None:
    token = world.user()
    padding = b" " * MAX_LIST_FILE_BYTES
    data = cbl("Too big", [CIVIL_WAR[0]]).replace(b"<Books>", b"<Books>" + padding)
    response = world.send(data, token)
    assert response.status_code == 413, response.text
    assert response.json() == {
        "error": "payload_too_large",
        "message": "A reading list file may be at most 10 MiB",
    }
    assert world.json("/readlists", token)["items"] == []


def test_shared_lists_are_for_owners_and_a_bad_flag_is_400(world: World) -> None:
    reader = world.user()
    refused = world.send(cbl("Mine to share", [CIVIL_WAR[0]]), reader, shared="true")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    bad = world.send(cbl("Mine", [CIVIL_WAR[0]]), reader, shared="maybe")
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_input"
    assert world.json("/readlists", reader)["items"] == []


# --- scoping, removal, export -------------------------------------------------------------------


def test_a_reader_sees_other_library_entries_unresolved_and_never_their_issues(
    world: World,
) -> None:
    owner = world.user(role=Role.OWNER)
    header = world.imported(
        cbl("Crossover (scoped)", [CIVIL_WAR[0], SECRET_WARS]), owner, shared="true"
    )["list"]
    assert (header["shared"], header["comics"]) == (True, 2)
    kid = world.user([world.marvel.id])
    try:
        seen = {item["id"]: item for item in world.json("/readlists", kid)["items"]}
        assert seen[header["id"]]["comics"] == 1
        assert (seen[header["id"]]["shared"], seen[header["id"]]["editable"]) == (True, False)
        shown = world.json(f"/readlists/{header['id']}", kid)
        entries = [(e["series"], e["issue"] is not None) for e in shown["items"]]
        assert entries == [("Civil War", True), ("Secret Wars", False)]
        comics = world.json(f"/readlists/{header['id']}/issues", kid)
        assert [i["series"] for i in comics["items"]] == ["Civil War"]
        assert comics["total"] == 1
        # The owner sees both.
        everything = world.json(f"/readlists/{header['id']}/issues", owner)
        assert [i["series"] for i in everything["items"]] == ["Civil War", "Secret Wars"]
        # A reader may not remove a shared list.
        refused = world.client.delete(f"{API}/readlists/{header['id']}", headers=auth(kid))
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    finally:
        removed = world.client.delete(f"{API}/readlists/{header['id']}", headers=auth(owner))
        assert removed.status_code == 200 and removed.json() == {"ok": True}


def test_another_users_list_and_bad_ids_are_404(world: World) -> None:
    alice, bob = world.user(), world.user()
    list_id = world.imported(cbl("Alice's", [CIVIL_WAR[0]]), alice)["list"]["id"]
    for url in (
        f"/readlists/{list_id}",
        f"/readlists/{list_id}/issues",
        f"/readlists/{list_id}/cbl",
    ):
        response = world.get(url, bob)
        assert response.status_code == 404 and response.json()["error"] == "not_found", url
    assert world.client.delete(f"{API}/readlists/{list_id}", headers=auth(bob)).status_code == 404
    for raw in ("abc", "-1", "1.0", "99999999999", "\uff12"):
        for url in (f"/readlists/{raw}", f"/readlists/{raw}/issues", f"/readlists/{raw}/cbl"):
            response = world.get(url, alice)
            assert response.status_code == 404 and response.json()["error"] == "not_found", url
    # Alice removes her own: gone for good.
    removed = world.client.delete(f"{API}/readlists/{list_id}", headers=auth(alice))
    assert removed.status_code == 200
    assert world.get(f"/readlists/{list_id}", alice).status_code == 404
    assert world.json("/readlists", alice)["items"] == []


def test_export_is_a_cbl_download_that_reads_back_the_same(world: World) -> None:
    token = world.user()
    name = 'Civil War: "Road" to/Ruin'
    books = [CIVIL_WAR[1], UNKNOWN, CIVIL_WAR[0], CIVIL_WAR[0]]
    list_id = world.imported(cbl(name.replace('"', "&quot;"), books, "Why"), token)["list"]["id"]
    response = world.get(f"/readlists/{list_id}/cbl", token)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "/" not in disposition and "Ruin.cbl" in disposition
    parsed = read_cbl(io.BytesIO(response.content))
    assert (parsed.name, parsed.summary) == (name, "Why")
    assert parsed.books == tuple(
        ListBook(series, number, volume or None, int(year) if year else None)
        for series, number, volume, year in books
    )


def test_options_names_every_method_of_a_list(world: World) -> None:
    token = world.user()
    list_id = world.imported(cbl("Allowed", [CIVIL_WAR[0]]), token)["list"]["id"]
    for url, methods in (
        (f"{API}/readlists/{list_id}", {"GET", "HEAD", "DELETE", "OPTIONS"}),
        (f"{API}/readlists", {"GET", "HEAD", "POST", "OPTIONS"}),
    ):
        answer = world.client.options(url, headers=auth(token))
        assert {m.strip() for m in answer.headers["allow"].split(",")} == methods, url


def test_lists_carry_an_etag_and_answer_304(world: World) -> None:
    token = world.user()
    list_id = world.imported(cbl("Tagged", [CIVIL_WAR[0]]), token)["list"]["id"]
    for url in ("/readlists", f"/readlists/{list_id}", f"/readlists/{list_id}/issues"):
        first = world.get(url, token)
        etag = first.headers["etag"]
        again = world.client.get(API + url, headers={**auth(token), "If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b""), url


# --- what to read next ------------------------------------------------------------------------


def test_on_deck_shows_the_next_issue_after_one_is_read(world: World) -> None:
    token = world.user()
    assert world.json("/library/on-deck", token)["items"] == []
    first = f"{world.marvel.root}/Civil War/Civil War 001.cbz"
    marked = world.client.post(f"{API}/issues/read", json={"path": first}, headers=auth(token))
    assert marked.status_code == 200, marked.text
    deck = world.json("/library/on-deck", token)
    assert [(i["series"], i["number"]) for i in deck["items"]] == [("Civil War", "2")]
    assert deck["items"][0]["is_read"] is False and deck["mode"] == "metadata"
    # Read too: nothing of Civil War is next any more.
    second = f"{world.marvel.root}/Civil War/Civil War 002.cbz"
    world.client.post(f"{API}/issues/read", json={"path": second}, headers=auth(token))
    assert world.json("/library/on-deck", token)["items"] == []


def test_continue_reading_shows_a_started_comic(world: World) -> None:
    token = world.user()
    assert world.json("/library/continue-reading", token)["items"] == []
    path = f"{world.secret.root}/Secret Wars/Secret Wars 001.cbz"
    saved = world.client.put(
        f"{API}/progress", json={"path": path, "page_number": 1}, headers=auth(token)
    )
    assert saved.status_code == 200, saved.text
    listed = world.json("/library/continue-reading", token)
    [item] = listed["items"]
    assert (item["path"], item["has_progress"], item["last_page"]) == (path, True, 1)
    # Someone who may not see library B is never shown it.
    kid = world.user([world.marvel.id])
    world.client.put(f"{API}/progress", json={"path": path, "page_number": 1}, headers=auth(kid))
    assert world.json("/library/continue-reading", kid)["items"] == []


def test_the_lists_holding_an_issue(world: World) -> None:
    token = world.user()
    list_id = world.imported(cbl("Holding", [SPIDEY, CIVIL_WAR[1]]), token)["list"]["id"]
    second = world.comic_id("Civil War/Civil War 002.cbz")
    holding = world.json(f"/issue/{second}/lists", token)
    assert [(item["kind"], item["id"]) for item in holding["items"]] == [("list", list_id)]
    first = world.comic_id("Civil War/Civil War 001.cbz")
    assert world.json(f"/issue/{first}/lists", token)["items"] == []
    for raw in ("abc", "99999999"):
        assert world.get(f"/issue/{raw}/lists", token).status_code == 404
    kid = world.user([world.marvel.id])
    hidden = world.comic_id("Secret Wars/Secret Wars 001.cbz", world.secret)
    assert world.get(f"/issue/{hidden}/lists", kid).status_code == 404
