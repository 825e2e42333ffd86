"""The reading-list pages over the app's test client and SQLite: importing CBL files through
the form (the report, duplicates, hostile and oversized files), a list's page (cards and
missing lines in list order, paging, continue), export, removal and who may see or change
what; story arcs' 404s; the home page's "On deck" row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from bagboard.adapters.readlists.cbl import parse_cbl
from bagboard.domain.model import Role
from bagboard.domain.readlists import MAX_LIST_FILE_BYTES, ListBook
from tests.archive_factory import comicinfo_xml, jpeg, write_cbz
from tests.readlist_support import cbl, comic
from tests.unit.web.support import PASSWORD, WebWorld, csrf, web_world

NIGHT_OWLS = "Orbit/Night Owls/Night Owls {:02}.cbz"
PAGE = {"001.jpg": jpeg((90, 60, 30))}
TOO_LARGE = "too large: a reading list file may hold at most 10 MB"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz ['
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    + "]><ReadingList><Name>&l9;</Name><Books/></ReadingList>"
).encode()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebWorld]:
    """The web collection, plus two copies of Civil War #1 (2006) in library A, the story
    arc "Owl Wars" (parts 1 and 2 in library A, part 3 in library B), and a reader of
    library A who has read nothing."""
    with web_world(tmp_path_factory.mktemp("web-lists")) as world:
        root = Path(world.lib_a.root)
        comic(root, "Marvel/Civil War/Civil War 001.cbz", "Civil War", "1", "2006", "2006")
        comic(root, "Marvel/Civil War B/Civil War 001.cbz", "Civil War", "1", "2006", "2006")
        for library, series, part in (
            (world.lib_a, "Dawn Patrol", "2"),
            (world.lib_a, "Dusk Patrol", "1"),
            (world.lib_b, "Far Patrol", "3"),
        ):
            info = {"Series": series, "Number": "1", "StoryArc": "Owl Wars"}
            members = {"ComicInfo.xml": comicinfo_xml(info | {"StoryArcNumber": part})}
            folder = Path(library.root) / "Arcs"
            folder.mkdir(exist_ok=True)
            write_cbz(folder / f"{series} 01.cbz", members | PAGE)
        scanner = world.library.scanner()
        for library in (world.lib_a, world.lib_b):
            scanner.scan(library)
        world.library.accounts.add_user("fresh", Role.READER, [world.lib_a.id])
        world.sessions.set_password("fresh", PASSWORD)
        yield world


def _id(web: WebWorld, relative: str) -> int:
    return web.comic_id(f"{web.lib_a.root}/{relative}")


def _upload(
    client: TestClient[Any], content: bytes, *, name: str = "list.cbl", shared: bool = False
) -> Any:
    data = {"csrf_token": csrf(client.get("/lists").text)}
    if shared:
        data["shared"] = "1"
    return client.post("/lists", data=data, files={"file": (name, content, "application/xml")})


def _list_href(report_html: str) -> str:
    found = re.search(r'href="(/lists/\d+)"', report_html)
    assert found, "no link to the list in the report"
    return found.group(1)


def _tiles(client: TestClient[Any]) -> list[str]:
    page = client.get("/lists").text
    return re.findall(r'<li class="card tile">\s*<a href="([^"]+)"', page)


def test_an_import_reports_matched_ambiguous_and_missing_books(web: WebWorld) -> None:
    client = web.signed_in("owner")
    books = [
        ("Night Owls", "1", "", "2001"),
        ("Civil War", "1", "2006", "2006"),
        ("Gone Series", "7", "", "2010"),
    ]
    answer = _upload(client, cbl("Owl Run", books, summary="Three books, one missing"))
    assert answer.status_code == 201, answer.text
    report = answer.text
    assert "3 books: 1 matched, 1 ambiguous, 1 missing" in report
    matched, ambiguous, missing = (
        report.split(f'id="report-{key}"', 1)[1].split("</section>", 1)[0]
        for key in ("matched", "ambiguous", "missing")
    )
    assert "Night Owls #1 (2001)" in matched and "Civil War" not in matched
    assert "Civil War #1 (vol 2006, 2006)" in ambiguous
    assert "Gone Series #7 (2010)" in missing
    href = _list_href(report)
    assert client.get(href).status_code == 200

    lists = client.get("/lists").text
    tile = lists.split(f'href="{href}"', 1)[1].split("</li>", 1)[0]
    assert "Owl Run" in tile and "2 of 3 comics" in tile and "Three books, one missing" in tile
    cover = _id(web, NIGHT_OWLS.format(1))
    assert f'src="/web/issue/{cover}/cover?size=300"' in tile


def test_a_list_page_shows_cards_and_missing_lines_in_list_order(web: WebWorld) -> None:
    client = web.signed_in("owner")
    books = [
        ("Night Owls", "2", "", ""),
        ("Lost Tales", "4", "1999", "1999"),
        ("Night Owls", "3", "", ""),
    ]
    href = _list_href(_upload(client, cbl("In Order", books)).text)
    page = client.get(href).text
    main = page.split("<main", 1)[1]
    second, lost, third = (
        main.index(text)
        for text in (
            "Night Owls #2</span>",
            "Lost Tales #4 (vol 1999, 1999)",
            "Night Owls #3</span>",
        )
    )
    assert second < lost < third
    assert (
        'Lost Tales #4 (vol 1999, 1999) <span class="detail">— not in your library</span>' in main
    )
    two = _id(web, NIGHT_OWLS.format(2))
    assert f'href="/issue/{two}"' in main
    assert f'href="/read/{two}">Continue: Night Owls #2</a>' in main
    assert f'href="{href}/export"' in main and f'href="{href}/remove"' in main


def test_continue_leads_to_the_first_comic_not_read(web: WebWorld) -> None:
    client = web.signed_in("owner")
    books = [("Night Owls", "1", "", ""), ("Night Owls", "2", "", "")]
    href = _list_href(_upload(client, cbl("Continue Me", books)).text)
    one, two = _id(web, NIGHT_OWLS.format(1)), _id(web, NIGHT_OWLS.format(2))
    token = csrf(client.get(f"/issue/{one}").text)
    client.post(f"/issue/{one}/read", data={"on": "1", "csrf_token": token})
    try:
        page = client.get(href).text
        assert f'href="/read/{two}">Continue: Night Owls #2</a>' in page
        assert '<li class="card read">' in page  # #1, marked read
    finally:
        client.post(f"/issue/{one}/read", data={"on": "0", "csrf_token": token})


def test_a_book_named_twice_shows_twice_and_a_second_import_replaces_the_list(
    web: WebWorld,
) -> None:
    client = web.signed_in("owner")
    twice = [("Night Owls", "3", "", ""), ("Night Owls", "3", "", "")]
    answer = _upload(client, cbl("Twice Over", twice))
    assert "2 books: 2 matched, 0 ambiguous, 0 missing" in answer.text
    href = _list_href(answer.text)
    three = _id(web, NIGHT_OWLS.format(3))
    assert client.get(href).text.count(f'href="/issue/{three}"') == 2

    before = _tiles(client)
    again = _upload(client, cbl("Twice Over", [("Paper Moon", "1", "", "")]))
    assert _list_href(again.text) == href
    assert _tiles(client) == before
    page = client.get(href).text
    assert f'href="/issue/{three}"' not in page and "Paper Moon #1</span>" in page


def test_a_list_file_without_a_name_is_named_after_the_file(web: WebWorld) -> None:
    client = web.signed_in("owner")
    answer = _upload(
        client, cbl("", [("Night Owls", "1", "", "")]), name="C:\\lists\\Owl Nights.cbl"
    )
    assert answer.status_code == 201
    assert "<h1>Imported Owl Nights</h1>" in answer.text


def test_a_long_list_is_paged_in_order(web: WebWorld) -> None:
    client = web.signed_in("owner")
    books = [("Endless", str(n), "", "") for n in range(1, 62)]
    href = _list_href(_upload(client, cbl("Endless", books)).text)
    first = client.get(href).text
    assert "Endless #60 " in first and "Endless #61 " not in first
    assert f'href="{href}?page=2"' in first and "Page 1 of 2" in first
    second = client.get(f"{href}?page=2").text
    assert "Endless #61 " in second and "Endless #60 " not in second


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "declares a DTD or entities"),
        (b"<ReadingList><Books><Book Series='x'", "not well-formed XML"),
        (b"<ComicInfo><Series>x</Series></ComicInfo>", "Not a CBL reading list"),
        (b"", "That file is empty"),
    ],
)
def test_a_bad_file_is_a_clear_400_and_nothing_is_saved(
    web: WebWorld, content: bytes, message: str
) -> None:
    client = web.signed_in("owner")
    before = _tiles(client)
    answer = _upload(client, content)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert message in answer.text and "Traceback" not in answer.text
    assert 'href="/lists">Reading lists</a>' in answer.text
    assert _tiles(client) == before


def test_a_file_over_the_cap_is_refused_clearly(web: WebWorld) -> None:
    client = web.signed_in("owner")
    before = _tiles(client)
    padding = b" " * (MAX_LIST_FILE_BYTES + 1 - len(cbl("Big", [])))
    just_over = _upload(client, cbl("Big", []) + padding)
    assert just_over.status_code == 400 and TOO_LARGE in just_over.text
    far_over = _upload(client, b" " * (MAX_LIST_FILE_BYTES + 1024 * 1024))
    assert far_over.status_code == 413 and TOO_LARGE in far_over.text
    assert _tiles(client) == before


def test_a_list_file_larger_than_other_forms_take_is_accepted(web: WebWorld) -> None:
    client = web.signed_in("owner")
    content = cbl("Roomy", [("Night Owls", "2", "", "")]) + b"\n" * (2 * 1024 * 1024)
    answer = _upload(client, content)
    assert answer.status_code == 201 and "1 matched" in answer.text


def test_an_import_needs_the_csrf_token(web: WebWorld) -> None:
    client = web.signed_in("owner")
    before = _tiles(client)
    for data in ({}, {"csrf_token": "wrong"}):
        answer = client.post(
            "/lists", data=data, files={"file": ("x.cbl", cbl("Forged", []), "application/xml")}
        )
        assert answer.status_code == 403
    assert _tiles(client) == before


def test_the_export_is_a_cbl_of_every_entry_in_order(web: WebWorld) -> None:
    client = web.signed_in("owner")
    books = [("Night Owls", "1", "", "2001"), ("Nowhere", "9", "3", "1990")]
    href = _list_href(_upload(client, cbl("Out/Bound", books, summary="Round trip")).text)
    answer = client.get(f"{href}/export")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="Out_Bound.cbl"'
    parsed = parse_cbl(answer.content)
    assert parsed.name == "Out/Bound" and parsed.summary == "Round trip"
    assert parsed.books == (
        ListBook("Night Owls", "1", None, 2001),
        ListBook("Nowhere", "9", "3", 1990),
    )


def test_removing_a_list_asks_first_and_needs_the_token(web: WebWorld) -> None:
    client = web.signed_in("owner")
    href = _list_href(_upload(client, cbl("Short Lived", [("Night Owls", "1", "", "")])).text)
    confirm = client.get(f"{href}/remove")
    assert confirm.status_code == 200 and "Remove Short Lived?" in confirm.text
    assert client.post(f"{href}/remove", data={}).status_code == 403
    assert client.get(href).status_code == 200
    answer = client.post(
        f"{href}/remove", data={"csrf_token": csrf(confirm.text)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/lists?notice=removed"
    assert "Reading list removed." in client.get("/lists?notice=removed").text
    assert client.get(href).status_code == 404
    assert href not in _tiles(client)


def test_another_user_s_list_is_not_found_and_a_shared_one_is_the_owners(web: WebWorld) -> None:
    owner, kid = web.signed_in("owner"), web.signed_in("kid")
    own = _list_href(_upload(owner, cbl("Owner Only", [("Night Owls", "1", "", "")])).text)
    books = [("Night Owls", "1", "", ""), ("Hidden Depths", "1", "", "")]
    shared = _list_href(_upload(owner, cbl("For Everyone", books), shared=True).text)
    token = csrf(kid.get("/lists").text)
    for path in (own, f"{own}/export", f"{own}/remove"):
        missing = kid.get(path)
        assert missing.status_code == 404 and "Owner Only" not in missing.text
    assert kid.post(f"{own}/remove", data={"csrf_token": token}).status_code == 404
    assert own not in _tiles(kid) and shared in _tiles(kid)

    # The kid sees library A only: Hidden Depths (library B) is a line, not a card.
    page = kid.get(shared).text
    assert "Hidden Depths #1 <span" in page and "not in your library" in page
    assert "Night Owls #1</span>" in page
    assert f'href="{shared}/remove"' not in page
    assert kid.post(f"{shared}/remove", data={"csrf_token": token}).status_code == 403
    assert owner.get(shared).status_code == 200
    assert "Hidden Depths #1 <span" not in owner.get(shared).text  # a card for the owner


def test_only_owners_may_share_a_list(web: WebWorld) -> None:
    kid = web.signed_in("kid")
    assert 'name="shared"' not in kid.get("/lists").text
    assert 'name="shared"' in web.signed_in("owner").get("/lists").text
    before = _tiles(kid)
    answer = _upload(kid, cbl("Kid Shares", [("Night Owls", "1", "", "")]), shared=True)
    assert answer.status_code == 403
    assert _tiles(kid) == before


@pytest.mark.parametrize(
    "path",
    ["/lists/arc-999", "/lists/arc-1/export", "/lists/arc-1/remove", "/lists/x7", "/lists/99999"],
)
def test_unknown_lists_and_arcs_are_the_404_page(web: WebWorld, path: str) -> None:
    answer = web.signed_in("owner").get(path)
    assert answer.status_code == 404 and "There is nothing here." in answer.text


def test_the_lists_page_is_in_the_navigation_with_its_arcs_section(web: WebWorld) -> None:
    client = web.signed_in("kid")
    home = client.get("/").text
    assert '<a href="/lists">Reading lists</a>' in home
    page = client.get("/lists").text
    assert '<a href="/lists" aria-current="page">Reading lists</a>' in page
    assert 'id="story-arcs"' in page and 'enctype="multipart/form-data"' in page


def test_on_deck_shows_the_next_issue_after_one_is_read(web: WebWorld) -> None:
    client = web.signed_in("fresh")
    assert 'id="on-deck"' not in client.get("/").text
    one, two = _id(web, NIGHT_OWLS.format(1)), _id(web, NIGHT_OWLS.format(2))
    token = csrf(client.get(f"/issue/{one}").text)
    client.post(f"/issue/{one}/read", data={"on": "1", "csrf_token": token})
    home = client.get("/").text
    deck = home.split('id="on-deck"', 1)[1].split("</section>", 1)[0]
    assert f'href="/issue/{two}"' in deck and f'href="/issue/{one}"' not in deck
    assert home.index('id="keep-reading"') < home.index('id="on-deck"')


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/lists/99999999999999999999", 404),
        ("/lists/-1", 404),
        ("/lists/arc-", 404),
        ("/lists/%C3%A9", 404),
        ("/lists?arcs=-4", 200),
        ("/lists?arcs=zz", 200),
    ],
)
def test_nonsense_in_a_list_url_is_a_page_not_a_trace(web: WebWorld, url: str, status: int) -> None:
    answer = web.signed_in("owner").get(url)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text and str(web.lib_a.root) not in answer.text


def test_a_broken_upload_is_a_clear_400(web: WebWorld) -> None:
    client = web.signed_in("owner")
    token = csrf(client.get("/lists").text)
    no_boundary = client.post(
        "/lists",
        content=b"--x\r\n\r\n",
        headers={"Content-Type": "multipart/form-data", "X-CSRF-Token": token},
    )
    assert no_boundary.status_code == 400 and "Traceback" not in no_boundary.text
    no_file = client.post("/lists", data={"csrf_token": token, "shared": "0"})
    assert no_file.status_code == 400 and "Choose a CBL file" in no_file.text
    # A browser sends the field with neither name nor content when no file was chosen.
    unchosen = client.post(
        "/lists",
        data={"csrf_token": token},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert unchosen.status_code == 400 and "Choose a CBL file" in unchosen.text


def _arc_href(client: TestClient[Any], name: str) -> str:
    page = client.get("/lists").text
    arcs = page.split('id="story-arcs"', 1)[1]
    found = re.search(
        r'<a href="(/lists/arc-\d+)">\s*<img[^>]*>\s*<span class="title">' + name, arcs
    )
    assert found, f"no arc {name} on the lists page"
    return found.group(1)


def test_a_story_arc_shows_its_comics_in_arc_order_read_only(web: WebWorld) -> None:
    client = web.signed_in("owner")
    href = _arc_href(client, "Owl Wars")
    lists = client.get("/lists").text
    tile = lists.split(f'href="{href}"', 1)[1].split("</li>", 1)[0]
    dusk = _id(web, "Arcs/Dusk Patrol 01.cbz")
    assert "3 comics" in tile and f'src="/web/issue/{dusk}/cover?size=300"' in tile

    page = client.get(href).text
    main = page.split("<main", 1)[1]
    titles = re.findall(r'<span class="title">([^<]+)</span>', main)
    assert titles == ["Dusk Patrol #1", "Dawn Patrol #1", "Far Patrol #1"]
    assert "Story arc · 3 comics" in main
    assert f'href="/read/{dusk}">Continue: Dusk Patrol #1</a>' in main
    assert "/export" not in main and "/remove" not in main
    for path in (f"{href}/export", f"{href}/remove"):
        assert client.get(path).status_code == 404
    assert client.post(f"{href}/remove", data={"csrf_token": csrf(page)}).status_code == 404


def test_a_reader_sees_only_the_arc_s_comics_in_their_libraries(web: WebWorld) -> None:
    client = web.signed_in("kid")
    href = _arc_href(client, "Owl Wars")
    main = client.get(href).text.split("<main", 1)[1]
    titles = re.findall(r'<span class="title">([^<]+)</span>', main)
    assert titles == ["Dusk Patrol #1", "Dawn Patrol #1"]
    assert "Far Patrol" not in main and "Story arc · 2 comics" in main
