"""``GET /library/publishers`` in both modes, the mode switch, the envelope and caching
(contract §1, §3, §4, §4.1), over a real scanned collection."""

from __future__ import annotations

import pytest

from tests.browse_support import World, auth

URL = "/api/v1/library/publishers"
FS_ITEM_KEYS = {"value", "name", "path", "has_thumbnail", "count"}
FS_NAMES = [
    "archie",
    "DC Comics",
    "Image",
    "Marvel",
    "Marvel",
    "Oddities",
    "Secret Press",
    "Vol 2 Press",
    "Vol 10 Press",
]


# --- modes ----------------------------------------------------------------------------------


def test_the_saved_mode_defaults_to_metadata_and_is_echoed(world: World) -> None:
    assert world.json(URL)["mode"] == "metadata"


@pytest.mark.parametrize("raw", ["filesystem", "FileSystem", " FILESYSTEM "])
def test_mode_overrides_the_saved_one_case_insensitively(world: World, raw: str) -> None:
    assert world.json(URL, mode=raw)["mode"] == "filesystem"


def test_empty_mode_means_the_saved_one(world: World) -> None:
    assert world.json(URL, mode="")["mode"] == "metadata"
    settings = world.app.settings
    settings.set_browse_mode("filesystem")
    try:
        assert world.json(URL)["mode"] == "filesystem"
        assert world.json(URL, mode="")["mode"] == "filesystem"
        assert world.json(URL, mode="metadata")["mode"] == "metadata"
    finally:
        settings.set_browse_mode("metadata")


@pytest.mark.parametrize("raw", ["folders", " ", "\x0c"])
def test_an_unknown_mode_is_a_400_invalid_mode(world: World, raw: str) -> None:
    # Only what the published document lists: blanks are not "empty".
    response = world.get(URL, mode=raw)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_mode"
    assert set(body) == {"error", "message"}


# --- filesystem ----------------------------------------------------------------------------


def test_filesystem_publishers_are_the_folders_under_every_root_in_natural_order(
    world: World,
) -> None:
    body = world.json(URL, mode="filesystem")
    assert [item["name"] for item in body["items"]] == FS_NAMES
    assert body["total"] == len(FS_NAMES)
    marvels = [item["path"] for item in body["items"] if item["name"] == "Marvel"]
    # Same name in two libraries: the tie-break (row id) keeps a fixed order.
    assert marvels == [f"{world.a}/Marvel", f"{world.b}/Marvel"]


def test_filesystem_publisher_items_carry_exactly_the_compat_keys(world: World) -> None:
    items = {item["path"]: item for item in world.json(URL, mode="filesystem")["items"]}
    dc = items[f"{world.a}/DC Comics"]
    assert dc == {
        "value": "DC Comics",
        "name": "DC Comics",
        "path": f"{world.a}/DC Comics",
        "has_thumbnail": False,
        # Batman 1 + Swamp Thing across both volume folders 3: counted recursively.
        "count": 4,
    }
    for item in items.values():
        assert set(item) == FS_ITEM_KEYS  # publisher folders are never multi-volume series


def test_filesystem_has_thumbnail_and_counts_every_format(world: World) -> None:
    items = {item["path"]: item for item in world.json(URL, mode="filesystem")["items"]}
    marvel = items[f"{world.a}/Marvel"]
    assert marvel["has_thumbnail"] is True  # folder.jpg
    assert marvel["count"] == 6  # five CBZ and one CBR
    assert items[f"{world.a}/Image"]["count"] == 3
    assert items[f"{world.b}/Marvel"] == {
        "value": "Marvel",
        "name": "Marvel",
        "path": f"{world.b}/Marvel",
        "has_thumbnail": False,
        "count": 1,
    }


# --- metadata ----------------------------------------------------------------------------


def test_metadata_publishers_group_case_insensitively_with_the_common_spelling(
    world: World,
) -> None:
    body = world.json(URL, mode="metadata")
    assert body["mode"] == "metadata"
    names = [item["name"] for item in body["items"]]
    # The CBR's ComicInfo counts too, and untagged comics take the publisher folder's name.
    assert names == [
        "archie",
        "DC Comics",
        "Fixture Comics",
        "Image",
        "Marvel",
        "Oddities",
        "Secret Press",
        "Vol 2 Press",
        "Vol 10 Press",
    ]
    marvel = body["items"][4]
    # Four "Marvel" and one "marvel" in A, one "Marvel" in B.
    assert marvel == {
        "value": "Marvel",
        "name": "Marvel",
        "count": 6,
        "has_thumbnail": False,
        "path": None,
    }


def test_metadata_publishers_sort_by_count(world: World) -> None:
    body = world.json(URL, mode="metadata", sort="count")
    counts = [(item["name"], item["count"]) for item in body["items"]]
    # Image and Secret Press count their untagged comics, grouped by folder.
    assert counts[:2] == [("Marvel", 6), ("DC Comics", 4)]
    assert sorted(counts[2:5]) == [("Image", 3), ("Oddities", 3), ("Secret Press", 3)]
    assert sorted(counts[5:]) == [
        ("Fixture Comics", 1),
        ("Vol 10 Press", 1),
        ("Vol 2 Press", 1),
        ("archie", 1),
    ]
    assert world.json(URL, mode="metadata", sort="count")["items"] == body["items"]


def test_an_unknown_sort_falls_back_to_alpha(world: World) -> None:
    alpha = world.json(URL, mode="metadata")["items"]
    assert world.json(URL, mode="metadata", sort="newest")["items"] == alpha


# --- envelope --------------------------------------------------------------------------------


def test_envelope_arithmetic_over_several_pages(world: World) -> None:
    first = world.json(URL, mode="filesystem", page="1", page_size="4")
    assert {k: v for k, v in first.items() if k != "items"} == {
        "total": 9,
        "page": 1,
        "page_size": 4,
        "total_pages": 3,
        "has_more": True,
        "mode": "filesystem",
    }
    last = world.json(URL, mode="filesystem", page="3", page_size="4")
    assert len(last["items"]) == 1
    assert last["has_more"] is False
    past = world.json(URL, mode="filesystem", page="4", page_size="4")
    assert past["items"] == []
    assert (past["total"], past["total_pages"], past["has_more"]) == (9, 3, False)


def test_pages_cover_the_list_once_in_a_fixed_order(world: World) -> None:
    pages = [
        world.json(URL, mode="filesystem", page=str(n), page_size="2")["items"] for n in range(1, 6)
    ]
    walked = [item["path"] for page in pages for item in page]
    whole = [item["path"] for item in world.json(URL, mode="filesystem")["items"]]
    assert walked == whole
    assert len(set(walked)) == len(FS_NAMES)


@pytest.mark.parametrize(
    ("page", "page_size", "expected"),
    [
        ("abc", "abc", (1, 50)),
        ("0", "0", (1, 1)),
        ("-3", "500", (1, 200)),
        ("2.5", "", (1, 50)),
        (None, "9999", (1, 200)),
    ],
)
def test_bad_page_numbers_never_fail(
    world: World, page: str | None, page_size: str, expected: tuple[int, int]
) -> None:
    params = {"mode": "filesystem", "page_size": page_size}
    if page is not None:
        params["page"] = page
    body = world.json(URL, **params)
    assert (body["page"], body["page_size"]) == expected


def test_unknown_query_parameters_are_ignored(world: World) -> None:
    plain = world.json(URL, mode="filesystem")
    assert world.json(URL, mode="filesystem", colour="blue", publisher="x") == plain


# --- caching and HEAD -----------------------------------------------------------------------


def test_lists_carry_a_weak_etag_and_revalidate_with_304(world: World) -> None:
    response = world.get(URL, mode="filesystem")
    etag = response.headers["etag"]
    assert etag.startswith('W/"')
    assert response.headers["cache-control"] == "private, no-cache"
    again = world.client.get(
        URL, params={"mode": "filesystem"}, headers={**auth(world.owner), "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = world.get(URL, mode="metadata")
    assert other.headers["etag"] != etag


def test_a_stale_etag_gets_the_full_list(world: World) -> None:
    headers = {**auth(world.owner), "If-None-Match": 'W/"0123"'}
    response = world.client.get(URL, params={"mode": "filesystem"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 9


def test_head_answers_the_get_headers_without_a_body(world: World) -> None:
    got = world.get(URL, mode="filesystem")
    head = world.client.head(URL, params={"mode": "filesystem"}, headers=auth(world.owner))
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_the_list_needs_a_token(world: World) -> None:
    response = world.client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
