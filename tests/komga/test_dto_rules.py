"""The client field rules themselves: a Komga-shaped payload passes every client, and each rule
the rules claim (nullable keys present for komga-client, strict dates for Aidoku, the Spring page
wrapper) fails when the payload breaks it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.komga.dto_rules import CLIENTS, check, check_every_client, dto_names

STAMP = "2026-03-01T10:00:00Z"
LOCKS = (  # noqa: SIM905
    "status title titleSort summary readingDirection publisher ageRating language genres tags "
    "totalBookCount sharingLabels links alternateTitles"
).split()


def series() -> dict[str, Any]:
    return {
        "id": "17", "libraryId": "1", "name": "Saga", "url": "", "created": STAMP,
        "lastModified": STAMP, "fileLastModified": STAMP, "booksCount": 2, "booksReadCount": 1,
        "booksUnreadCount": 1, "booksInProgressCount": 0, "deleted": False, "oneshot": False,
        "metadata": {
            "status": "ONGOING", "title": "Saga", "titleSort": "Saga", "summary": "",
            "readingDirection": "", "publisher": "Image", "ageRating": None, "language": "en",
            "genres": [], "tags": ["space"], "totalBookCount": None, "sharingLabels": [],
            "links": [], "alternateTitles": [], "created": STAMP, "lastModified": STAMP,
        } | {f"{name}Lock": False for name in LOCKS},
        "booksMetadata": {
            "authors": [{"name": "Brian K. Vaughan", "role": "writer"}], "tags": [],
            "releaseDate": "2012-03-14", "summary": "", "summaryNumber": "", "created": STAMP,
            "lastModified": STAMP,
        },
    }  # fmt: skip


def page(content: list[Any]) -> dict[str, Any]:
    sort = {"sorted": False, "unsorted": True, "empty": True}
    return {
        "content": content, "totalElements": len(content), "totalPages": 1, "size": 20,
        "number": 0, "numberOfElements": len(content), "first": True, "last": True,
        "empty": not content, "sort": sort,
        "pageable": {"pageNumber": 0, "pageSize": 20, "offset": 0, "paged": True,
                     "unpaged": False, "sort": sort},
    }  # fmt: skip


def test_a_komga_shaped_series_passes_every_client() -> None:
    results = check_every_client("Series", series())
    assert set(results) == set(CLIENTS)
    assert results == {client: [] for client in results}


def test_a_page_of_series_passes_every_client_that_reads_pages() -> None:
    results = check_every_client("Page<Series>", page([series()]))
    assert results == {client: [] for client in results}
    assert {"EXT", "KC", "KMR", "AID", "PB"} <= set(results)


def test_a_missing_nullable_key_fails_for_komga_client_but_not_for_the_extension() -> None:
    payload = series()
    del payload["metadata"]["ageRating"]
    assert check("KC", "Series", payload) == [
        "$.metadata.ageRating: missing (KC SeriesMetadata requires it)"
    ]
    assert check("EXT", "Series", payload) == []
    assert check("TRK", "Series", payload) == []


def test_a_null_required_key_fails_even_where_absence_would_be_fine() -> None:
    payload = series()
    payload["booksMetadata"]["authors"] = None  # EXT has a default, but null is not absent
    assert check("EXT", "Series", payload) == [
        "$.booksMetadata.authors: null, but EXT BooksMetadata needs a value"
    ]


def test_a_datetime_with_a_fraction_fails_for_aidoku_only() -> None:
    book: dict[str, Any] = {
        "id": "5", "seriesId": "17", "libraryId": "1", "name": "Saga 001",
        "media": {"mediaProfile": "DIVINA", "epubDivinaCompatible": False, "pagesCount": 3},
        "metadata": {"title": "Chapter One", "number": "1", "numberSort": 1.0, "authors": [],
                     "tags": [], "created": "2026-03-01T10:00:00.123Z", "releaseDate": None},
        "readProgress": None,
    }  # fmt: skip
    assert check("AID", "Book", book) == [
        "$.metadata.created: '2026-03-01T10:00:00.123Z' is not a datetime AID parses"
    ]
    book["metadata"]["created"] = STAMP
    assert check("AID", "Book", book) == []


def test_komga_client_accepts_an_offset_and_a_fraction_but_not_a_bare_local_time() -> None:
    payload = series()
    payload["created"] = "2026-03-01T10:00:00.5+01:00"
    assert check("KC", "Series", payload) == []
    payload["created"] = "2026-03-01T10:00:00"
    assert check("KC", "Series", payload) == [
        "$.created: '2026-03-01T10:00:00' is not a datetime KC parses"
    ]


def test_a_page_without_pageable_fails_for_the_clients_that_decode_it() -> None:
    body = page([series()])
    del body["pageable"]
    assert check("KC", "Page<Series>", body) == ["$.pageable: missing (KC Page requires it)"]
    assert check("KMR", "Page<Series>", body) == ["$.pageable: missing (KMR Page requires it)"]
    assert check("EXT", "Page<Series>", body) == []


def test_page_items_are_checked_with_their_path() -> None:
    broken = series()
    broken["metadata"]["status"] = "FINISHED"
    problems = check("KC", "Page<Series>", page([series(), broken]))
    assert problems == [
        "$.content[1].metadata.status: 'FINISHED' is not one of "
        "['ENDED', 'ONGOING', 'ABANDONED', 'HIATUS'] (KC)"
    ]


def test_reading_direction_rules_differ_per_client() -> None:
    payload = series()
    payload["metadata"]["readingDirection"] = "SCROLL"
    assert check("AID", "Series", payload) == []
    assert len(check("KC", "Series", payload)) == 1
    payload["metadata"]["readingDirection"] = None
    assert check("KC", "Series", payload) != []
    assert check("KMR", "Series", payload) == []


def test_integers_must_be_json_integers_for_kotlin_ints() -> None:
    payload = series()
    payload["booksCount"] = 2.0
    assert check("KC", "Series", payload) == ["$.booksCount: expected int, got float 2.0"]


def test_lists_of_dtos_and_unknown_names() -> None:
    assert check("EXT", "[Library]", [{"id": "1", "name": "Comics"}]) == []
    assert check("EXT", "[Library]", [{"id": 1, "name": "Comics"}]) == [
        "$[0].id: expected str, got int 1"
    ]
    assert check("EXT", "[str]", ["a", None]) == ["$[1]: null item in a list"]
    with pytest.raises(KeyError):
        check("EXT", "User", {})
    with pytest.raises(KeyError):
        check("Tachiyomi", "Series", {})


@pytest.mark.parametrize("client", CLIENTS)
def test_every_rule_is_well_formed(client: str) -> None:
    # An empty object walks every rule of every DTO: a malformed one raises instead of reporting.
    for name in dto_names(client):
        check(client, name, {})
        assert check(client, name, copy.deepcopy([])) != []
