"""Weak ETags and ``If-None-Match`` for list responses (contract §1)."""

from __future__ import annotations

import msgspec
import pytest

from bagboard.adapters.http.etag import LIST_CACHE_CONTROL, cached_json, matches, weak_etag


def test_weak_etag_is_a_quoted_hash_of_the_body() -> None:
    tag = weak_etag(b'{"items":[]}')
    assert tag.startswith('W/"')
    assert tag.endswith('"')
    assert len(tag) == len('W/""') + 32
    assert weak_etag(b'{"items":[]}') == tag
    assert weak_etag(b'{"items":[1]}') != tag


@pytest.mark.parametrize(
    "header",
    [
        'W/"abc"',
        '"abc"',  # weak comparison ignores the W/ prefix either side
        ' W/"x", W/"abc" ',
        "*",
        'W/"x",*',
    ],
)
def test_if_none_match_names_the_tag(header: str) -> None:
    assert matches(header, 'W/"abc"')


@pytest.mark.parametrize("header", [None, "", 'W/"abd"', "abc", 'W/"x", "y"', ","])
def test_if_none_match_misses(header: str | None) -> None:
    assert not matches(header, 'W/"abc"')


def test_cached_json_answers_200_with_tag_and_cache_control() -> None:
    response = cached_json({"items": [1, 2]}, None)
    assert response.status_code == 200
    assert response.content == msgspec.json.encode({"items": [1, 2]})
    assert response.headers["ETag"] == weak_etag(response.content)
    assert response.headers["Cache-Control"] == LIST_CACHE_CONTROL


def test_cached_json_answers_304_without_a_body_when_the_client_holds_it() -> None:
    tag = cached_json({"items": []}, None).headers["ETag"]
    response = cached_json({"items": []}, tag)
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == tag
    assert response.headers["Cache-Control"] == LIST_CACHE_CONTROL


def test_cached_json_answers_200_when_the_list_changed() -> None:
    old = cached_json({"items": []}, None).headers["ETag"]
    response = cached_json({"items": [1]}, old)
    assert response.status_code == 200
    assert response.headers["ETag"] != old
