"""The pages: what each shows of the collection, and the marks and shelves they change."""

from __future__ import annotations

import json
import re

import pytest

from tests.unit.web.support import WebWorld, csrf

NIGHT_OWLS_2 = "Orbit/Night Owls/Night Owls 02.cbz"
PAPER_MOON = "Kodo/Paper Moon/Paper Moon 01.cbz"


def _id(web: WebWorld, path: str) -> int:
    return web.comic_id(f"{web.lib_a.root}/{path}")


def _reader_config(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="reader-config">(.*?)</script>', html)
    assert found
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_browse_by_series_down_to_the_issues(web: WebWorld) -> None:
    client = web.signed_in("owner")
    publishers = client.get("/browse?mode=metadata")
    assert publishers.status_code == 200
    assert 'href="/browse/series?mode=metadata&amp;publisher=Orbit"' in publishers.text
    assert "Kodo" in publishers.text
    series = client.get("/browse/series?mode=metadata&publisher=Orbit")
    link = "/browse/issues?mode=metadata&amp;publisher=Orbit&amp;series=Night+Owls"
    assert f'href="{link}"' in series.text
    issues = client.get(link.replace("&amp;", "&"))
    assert issues.status_code == 200
    for n in (1, 2, 3):
        assert f"Night Owls #{n}</span>" in issues.text
    assert "3 issues" in issues.text
    assert f'src="/web/issue/{_id(web, NIGHT_OWLS_2)}/cover?size=300"' in issues.text


def test_browse_by_folder(web: WebWorld) -> None:
    client = web.signed_in("owner")
    publishers = client.get("/browse?mode=filesystem")
    assert 'href="/browse/series?mode=filesystem&amp;publisher=Kodo"' in publishers.text
    series = client.get("/browse/series?mode=filesystem&publisher=Kodo")
    assert "Paper Moon" in series.text
    issues = client.get("/browse/issues?mode=filesystem&publisher=Kodo&series=Paper+Moon")
    assert issues.status_code == 200 and "Paper Moon #1" in issues.text
    top = client.get("/folder")
    assert top.status_code == 200 and "A</span>" in top.text and "B</span>" in top.text


def test_a_bad_browse_request_is_a_page_not_a_trace(web: WebWorld) -> None:
    client = web.signed_in("owner")
    answer = client.get("/browse/issues?mode=metadata")
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    missing = client.get("/issue/999999")
    assert missing.status_code == 404 and "There is nothing here." in missing.text
    assert "Traceback" not in missing.text and str(web.lib_a.root) not in missing.text


def test_search_finds_series_and_issues(web: WebWorld) -> None:
    client = web.signed_in("owner")
    page = client.get("/search?q=moon")
    assert page.status_code == 200
    assert "Paper Moon</span>" in page.text and "Paper Moon #1" in page.text
    assert "Night Owls" not in page.text.split("<main", 1)[1]


def test_the_issue_page_shows_its_metadata_and_links(web: WebWorld) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, PAPER_MOON)
    page = client.get(f"/issue/{comic_id}")
    assert page.status_code == 200
    for text in ("Paper Moon #1", "First Light", "A. Writer", "4 pages"):
        assert text in page.text
    assert f'href="/read/{comic_id}"' in page.text
    assert f'href="/issue/{comic_id}/download"' in page.text
    download = client.get(f"/issue/{comic_id}/download")
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_images_are_the_api_s_images(web: WebWorld) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)
    bearer = {"Authorization": f"Bearer {web.owner_token}"}
    for web_path, api_path in (
        (f"/web/issue/{comic_id}/cover?size=300", f"/api/v1/issue/{comic_id}/cover?size=300"),
        (f"/web/issue/{comic_id}/page/3", f"/api/v1/issue/{comic_id}/page/3"),
    ):
        mine, theirs = client.get(web_path), client.get(api_path, headers=bearer)
        assert mine.status_code == 200 and mine.headers["content-type"] == "image/jpeg"
        assert mine.content == theirs.content
        assert mine.headers["etag"] == theirs.headers["etag"]
        again = client.get(web_path, headers={"If-None-Match": mine.headers["etag"]})
        assert again.status_code == 304


def test_the_reader_starts_where_the_api_saved(web: WebWorld) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)
    path = f"{web.lib_a.root}/{NIGHT_OWLS_2}"
    bearer = {"Authorization": f"Bearer {web.owner_token}"}
    saved = client.put("/api/v1/progress", json={"path": path, "page_number": 4}, headers=bearer)
    assert saved.status_code == 200
    config = _reader_config(client.get(f"/read/{comic_id}").text)
    assert config["start"] == 4 and config["rtl"] is False
    assert config["pages"] == [[60, 90]] * 5
    assert config["images"] == f"/web/issue/{comic_id}/page/"
    manga = _reader_config(client.get(f"/read/{_id(web, PAPER_MOON)}").text)
    assert manga["rtl"] is True and manga["start"] == 1


def test_the_reader_saves_through_the_progress_store(web: WebWorld) -> None:
    client = web.signed_in("kid")
    comic_id = _id(web, PAPER_MOON)
    page = client.get(f"/read/{comic_id}")
    token = csrf(page.text)
    url = config_url = _reader_config(page.text)["progress"]
    assert isinstance(url, str) and config_url == f"/web/api/issue/{comic_id}/progress"
    saved = client.put(url, json={"page": 3}, headers={"X-CSRF-Token": token})
    assert saved.status_code == 200 and saved.json() == {"page": 3, "is_read": False}
    kid_token = web.library.accounts.create_token("kid").secret
    path = f"{web.lib_a.root}/{PAPER_MOON}"
    api = client.get(
        "/api/v1/progress", params={"path": path}, headers={"Authorization": f"Bearer {kid_token}"}
    )
    assert api.json()["page_number"] == 3
    # The last page marks the comic read.
    client.put(url, json={"page": 4, "read": True}, headers={"X-CSRF-Token": token})
    detail = client.get(
        f"/api/v1/issue/{comic_id}", headers={"Authorization": f"Bearer {kid_token}"}
    )
    assert detail.json()["is_read"] is True
    assert "Read</span>" in client.get(f"/issue/{comic_id}").text


@pytest.mark.parametrize("headers", [{}, {"X-CSRF-Token": "wrong"}])
def test_a_save_without_the_token_is_refused(web: WebWorld, headers: dict[str, str]) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)
    answer = client.put(f"/web/api/issue/{comic_id}/progress", json={"page": 2}, headers=headers)
    assert answer.status_code == 403


def test_a_save_from_another_site_is_refused(web: WebWorld) -> None:
    client = web.signed_in("owner")
    token = csrf(client.get("/").text)
    answer = client.put(
        f"/web/api/issue/{_id(web, NIGHT_OWLS_2)}/progress",
        json={"page": 2},
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"},
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("action", ["read", "to-read", "favourite"])
def test_toggles_need_the_token(web: WebWorld, action: str) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)
    for data in ({"on": "1"}, {"on": "1", "csrf_token": "wrong"}):
        answer = client.post(f"/issue/{comic_id}/{action}", data=data, follow_redirects=False)
        assert answer.status_code == 403
        assert "out of date" in answer.text


def test_toggles_change_the_shelves_and_marks(web: WebWorld) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, "Orbit/Night Owls/Night Owls 03.cbz")
    token = csrf(client.get(f"/issue/{comic_id}").text)
    for action in ("read", "to-read", "favourite"):
        answer = client.post(
            f"/issue/{comic_id}/{action}",
            data={"on": "1", "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303 and answer.headers["location"] == f"/issue/{comic_id}"
    page = client.get(f"/issue/{comic_id}").text
    assert "Mark unread" in page and "On want to read" in page and "Folder is a favourite" in page
    home = client.get("/").text
    wanted = home.split('id="wanted"', 1)[1].split("</section>", 1)[0]
    assert f'href="/issue/{comic_id}"' in wanted
    favourites = home.split('id="favourites"', 1)[1].split("</section>", 1)[0]
    assert "Night Owls</span>" in favourites
    for action in ("read", "to-read", "favourite"):
        client.post(f"/issue/{comic_id}/{action}", data={"on": "0", "csrf_token": token})
    page = client.get(f"/issue/{comic_id}").text
    assert "Mark read" in page and "Want to read" in page and "Favourite this folder" in page


def test_marking_read_on_the_issue_page_puts_the_position_at_the_last_page(
    web: WebWorld,
) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)  # five pages
    path = f"{web.lib_a.root}/{NIGHT_OWLS_2}"
    bearer = {"Authorization": f"Bearer {web.owner_token}"}
    token = csrf(client.get(f"/issue/{comic_id}").text)
    client.post(f"/issue/{comic_id}/read", data={"on": "1", "csrf_token": token})
    api = client.get("/api/v1/progress", params={"path": path}, headers=bearer).json()
    assert (api["page_number"], api["total_pages"]) == (5, 5)
    # Unmarking keeps the position.
    client.post(f"/issue/{comic_id}/read", data={"on": "0", "csrf_token": token})
    assert client.get(f"/api/v1/issue/{comic_id}", headers=bearer).json()["is_read"] is False
    api = client.get("/api/v1/progress", params={"path": path}, headers=bearer).json()
    assert api["page_number"] == 5


def test_the_reader_marking_read_before_the_last_page_moves_the_position_there(
    web: WebWorld,
) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, NIGHT_OWLS_2)  # five pages
    token = csrf(client.get(f"/read/{comic_id}").text)
    url = f"/web/api/issue/{comic_id}/progress"
    saved = client.put(url, json={"page": 4, "read": True}, headers={"X-CSRF-Token": token})
    assert saved.json() == {"page": 5, "is_read": True}
    config = _reader_config(client.get(f"/read/{comic_id}").text)
    assert config["start"] == 5


def test_home_lists_what_the_user_is_reading(web: WebWorld) -> None:
    client = web.signed_in("owner")
    comic_id = _id(web, "Orbit/Night Owls/Night Owls 01.cbz")
    token = csrf(client.get("/").text)
    client.put(
        f"/web/api/issue/{comic_id}/progress", json={"page": 2}, headers={"X-CSRF-Token": token}
    )
    home = client.get("/").text
    keep = home.split('id="keep-reading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/issue/{comic_id}"' in keep
    assert 'value="40"' in keep  # two of five pages
    recent = home.split('id="recent"', 1)[1].split("</section>", 1)[0]
    assert "Paper Moon #1" in recent


def test_static_files_are_versioned_and_kept(web: WebWorld) -> None:
    client = web.client()
    login = client.get("/login").text
    found = re.search(r'href="(/static/[0-9a-f]+/app\.css)"', login)
    assert found
    css = client.get(found.group(1))
    assert css.status_code == 200 and "prefers-color-scheme: dark" in css.text
    cache = css.headers["cache-control"]
    assert "max-age=31536000" in cache and "immutable" in cache
    script = client.get(found.group(1).replace("app.css", "reader.js"))
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


def test_pages_load_nothing_from_another_host(web: WebWorld) -> None:
    client = web.signed_in("owner")
    for url in ("/", "/browse", f"/issue/{_id(web, PAPER_MOON)}", f"/read/{_id(web, PAPER_MOON)}"):
        html = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', html), url
