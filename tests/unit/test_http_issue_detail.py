"""``GET /issue/<id>``: the compat body plus page_count, is_read and format (contract §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bagboard.domain.model import Role
from bagboard.domain.progress import ProgressChange
from tests.browse_support import BACKENDS
from tests.issue_support import CBR_STORED, HIDDEN, IssueWorld, issue_world

TEXT_FIELDS = [
    "title", "series", "number", "count", "volume", "year", "writer", "penciller", "inker",
    "colorist", "letterer", "coverartist", "publisher", "genre", "characters",
]  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IssueWorld]:
    with issue_world(request.param, tmp_path_factory) as built:
        yield built


def test_the_detail_of_a_tagged_comic(world: IssueWorld) -> None:
    relative = "Acme/Marked/Marked 01.cbz"
    path = world.root_a / relative
    response = world.get(world.url(relative))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id", "name", "path", "size", "modified_at", "has_comicinfo", "metadata", "progress",
        "page_count", "is_read", "format", "metadata_sources",
    }  # fmt: skip
    assert body["id"] == world.id_of(relative)
    assert body["name"] == "Marked 01.cbz"
    assert body["path"] == str(path)
    assert body["size"] == path.stat().st_size
    assert body["modified_at"] == int(path.stat().st_mtime)
    assert body["has_comicinfo"] is True
    assert list(body["metadata"]) == TEXT_FIELDS
    assert body["metadata"]["series"] == "Marked"
    assert body["metadata"]["writer"] == "Ann Author"
    assert body["metadata"]["title"] == ""
    # ComicInfo gave every field the names could have given, but for what they lack too.
    assert body["metadata_sources"] == {}
    assert body["progress"] is None
    assert body["page_count"] == 3
    assert body["is_read"] is False
    assert body["format"] == "zip"


def test_untagged_comics_take_their_metadata_from_their_names(world: IssueWorld) -> None:
    body = world.get(world.url("Acme/Seven/Seven 01.cb7")).json()
    named = {"series": "Seven", "number": "1", "publisher": "Acme"}
    assert body["metadata"] == dict.fromkeys(TEXT_FIELDS, "") | named
    assert body["metadata_sources"] == {
        "series": "file name",
        "number": "file name",
        "publisher": "folder",
    }
    assert body["has_comicinfo"] is False
    assert body["format"] == "7z"
    assert world.get(world.url("Acme/Tape/Tape 01.cbt")).json()["format"] == "tar"
    cbr = world.get(world.url(CBR_STORED)).json()
    assert cbr["format"] == "rar"
    assert cbr["metadata"]["series"] == "Fixture Series"


def test_progress_and_read_mark_of_the_caller_only(world: IssueWorld) -> None:
    relative = "Acme/Plain/Plain 01.cbz"
    path = str(world.root_a / relative)
    reader = world.app.accounts.add_user("detail-reader", Role.READER)
    token = world.app.accounts.create_token(reader.name).secret
    progress = world.app.progress
    progress.save(reader, path, ProgressChange(page_number=2, total_pages=3, time_spent=75))
    progress.mark_read(reader, path, page_count=3, time_spent=90)  # moves on to the last page
    mine = world.get(world.url(relative), token).json()
    assert {key: mine["progress"][key] for key in ("page_number", "total_pages", "time_spent")} == {
        "page_number": 3,
        "total_pages": 3,
        "time_spent": 75,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", mine["progress"]["updated_at"])
    assert mine["is_read"] is True
    theirs = world.get(world.url(relative)).json()
    assert theirs["progress"] is None
    assert theirs["is_read"] is False
    progress.clear(reader, path)
    assert world.get(world.url(relative), token).json()["progress"] is None


@pytest.mark.parametrize("raw", ["999999", "abc", "1.5", "-1", "%2B1", "0x1", " 1"])
def test_unknown_or_malformed_ids_are_not_found(world: IssueWorld, raw: str) -> None:
    response = world.get(f"/api/v1/issue/{raw}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_comic_outside_the_users_libraries_is_not_found(world: IssueWorld) -> None:
    url = world.url(HIDDEN, root=world.root_b)
    assert world.get(url).status_code == 200
    for suffix in ("", "/cover", "/download", "/pages", "/page/1", "/page/1?size=100"):
        response = world.get(url + suffix, world.kid)
        assert response.status_code == 404, suffix
        assert response.json() == {"error": "not_found", "message": "no such comic"}
        assert world.get(world.url("Acme/Plain/Plain 01.cbz", suffix), world.kid).status_code == 200


def test_the_detail_carries_a_weak_etag(world: IssueWorld) -> None:
    url = world.url("Acme/Plain/Plain 01.cbz")
    first = world.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = world.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert (
        world.client.head(url, headers={"Authorization": f"Bearer {world.owner}"}).status_code
        == 200
    )
