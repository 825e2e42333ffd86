"""Item shapes: the documented keys come from the server's wire structs, minus its additions."""

from __future__ import annotations

from typing import Any

from bagboard.conformance import wire
from bagboard.conformance.deviations import HAS_COMICINFO_INTEGER
from bagboard.conformance.shapes import emitted_keys, first_problems
from bagboard.domain.comicinfo import TEXT_FIELDS


def issue(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": 42,
        "name": "Batman 001.cbz",
        "path": "/data/DC/Batman/Batman 001.cbz",
        "size": 1234,
        "has_comicinfo": True,
        "has_progress": False,
        "last_page": None,
        "is_read": False,
        "page_count": 24,
    }
    item.update(changes)
    return {key: value for key, value in item.items() if value is not ...}


def test_the_documented_keys_are_the_contracts() -> None:
    # Literal lists from contract.md: if a wire struct loses a documented key, this fails.
    assert wire.ISSUE.documented == {
        "id", "name", "path", "size", "has_comicinfo", "has_progress", "last_page",
    }  # fmt: skip
    assert wire.METADATA_ISSUE.documented == wire.ISSUE.documented | {
        "title", "series", "number", "year", "publisher",
    }  # fmt: skip
    assert wire.FOLDER.documented == {"value", "name", "path", "has_thumbnail", "count"}
    assert wire.PUBLISHER_FACET.documented == {"value", "name", "count"}
    assert wire.SERIES_FACET.documented == {"value", "name", "publisher", "count", "year"}
    assert wire.RECENT.documented == {
        "id", "value", "name", "path", "size", "added_at", "type", "has_progress", "last_page",
    }  # fmt: skip
    assert wire.SHELF.documented == {"value", "name", "path", "type", "created_at"}
    assert wire.ISSUE_DETAIL.documented == {
        "id", "name", "path", "size", "modified_at", "has_comicinfo", "metadata", "progress",
    }  # fmt: skip
    assert wire.PROGRESS.documented == {"page_number", "total_pages", "updated_at", "time_spent"}
    assert wire.FEED_ITEM.documented == {
        "comic_path", "page_number", "total_pages", "time_spent", "updated_at", "updated_at_unix",
    }  # fmt: skip
    assert wire.ENVELOPE.documented == {
        "items", "total", "page", "page_size", "total_pages", "has_more",
    }  # fmt: skip
    assert wire.FEED_ENVELOPE.documented == wire.ENVELOPE.documented | {"count"}
    # The reference sends {"error": ...} alone; the message beside it is bagboard's addition.
    assert wire.ERROR.documented == {"error"}
    assert wire.ERROR.complete == {"error", "message"}


def test_keys_left_unset_are_not_emitted() -> None:
    assert "volumes" not in emitted_keys(wire.FOLDER.struct)
    assert "title" not in emitted_keys(wire.ISSUE.struct)
    assert {"has_thumbnail", "path"} <= emitted_keys(wire.PUBLISHER_FACET.struct)


def test_bagboards_own_items_pass_both_checks() -> None:
    assert wire.ISSUE.compat_problems(issue()) == []
    assert wire.ISSUE.extension_problems(issue()) == []


def test_a_missing_addition_fails_only_the_extension_check() -> None:
    reference = issue(is_read=..., page_count=...)
    assert wire.ISSUE.compat_problems(reference) == []
    assert wire.ISSUE.extension_problems(reference) == [
        "issue item: missing key is_read, page_count"
    ]


def test_a_missing_documented_key_fails_the_core_check() -> None:
    assert wire.ISSUE.compat_problems(issue(has_progress=...)) == [
        "issue item: missing key has_progress"
    ]


def test_types_are_strict() -> None:
    assert wire.ISSUE.compat_problems(issue(id="42")) == [
        "issue item: Expected `int`, got `str` - at `$.id`"
    ]
    assert wire.ISSUE.compat_problems(issue(size=True)) == [
        "issue item: Expected `int`, got `bool` - at `$.size`"
    ]
    # a present addition of the wrong type is the core check's business too
    assert wire.ISSUE.compat_problems(issue(is_read="no")) == [
        "issue item: Expected `bool`, got `str` - at `$.is_read`"
    ]


def test_unknown_keys_are_allowed() -> None:
    assert wire.ISSUE.compat_problems(issue(rating=5)) == []


def test_a_non_object_is_reported() -> None:
    assert wire.ISSUE.compat_problems([1, 2]) == ["issue item: not a JSON object: [1, 2]"]


def test_a_nested_position_is_checked_by_its_own_shape() -> None:
    detail = {
        "id": 1,
        "name": "a.cbz",
        "path": "/data/a.cbz",
        "size": 3,
        "modified_at": 1700000000,
        "has_comicinfo": False,
        "metadata": dict.fromkeys(TEXT_FIELDS, ""),
        "progress": {"page_number": 5, "total_pages": 32, "updated_at": "x", "time_spent": 0},
    }
    assert wire.ISSUE_DETAIL.compat_problems(detail) == []
    assert wire.ISSUE_DETAIL.compat_problems({**detail, "progress": None}) == []
    broken = {**detail, "progress": {"page_number": "5"}}
    assert wire.ISSUE_DETAIL.compat_problems(broken) == [
        "progress: missing key time_spent, total_pages, updated_at",
        "progress: Expected `int`, got `str` - at `$.page_number`",
    ]
    assert "progress: missing key client_updated_at, updated_at_unix" in (
        wire.ISSUE_DETAIL.extension_problems(detail)
    )


def test_first_problems_names_the_faulty_items() -> None:
    items = [issue(), issue(id="x"), issue(), issue(size=...)]
    assert first_problems(items, wire.ISSUE.compat_problems) == [
        "items[1]: issue item: Expected `int`, got `str` - at `$.id`",
        "items[3]: issue item: missing key size",
    ]


def test_has_comicinfo_may_be_a_boolean_or_the_references_integer() -> None:
    for shape in (wire.ISSUE, wire.METADATA_ISSUE):
        assert shape.lenient.keys() == {"has_comicinfo"}
    for value in (True, False, 1, 0):
        assert wire.ISSUE.compat_problems(issue(has_comicinfo=value)) == []
    for value in (2, "true", None):
        assert wire.ISSUE.compat_problems(issue(has_comicinfo=value)) != []


def test_the_integer_is_a_departure_from_the_document_not_a_core_failure() -> None:
    assert wire.ISSUE.deviation_problems(issue()) == {}
    found = wire.ISSUE.deviation_problems(issue(has_comicinfo=1))
    assert found == {HAS_COMICINFO_INTEGER: ["issue item: has_comicinfo is 1"]}
    # A value the core check refuses is its to report, not the deviation's twice over.
    assert wire.ISSUE.deviation_problems(issue(has_comicinfo=...)) == {}


def test_issue_detail_takes_the_integer_too() -> None:
    detail = {
        "id": 1, "name": "a.cbz", "path": "/data/a.cbz", "size": 3, "modified_at": 0,
        "has_comicinfo": 0, "metadata": {}, "progress": None,
    }  # fmt: skip
    assert wire.ISSUE_DETAIL.compat_problems(detail) == []
    assert list(wire.ISSUE_DETAIL.deviation_problems(detail)) == [HAS_COMICINFO_INTEGER]


def test_an_error_needs_its_code_and_may_carry_more() -> None:
    clu_like = {"error": "invalid_path", "data_dir": "/data", "received_publisher": ".."}
    assert wire.ERROR.compat_problems(clu_like) == []
    assert wire.ERROR.extension_problems(clu_like) == ["error body: missing key message"]
    assert wire.ERROR.compat_problems({"message": "no code"}) != []
    assert wire.ERROR.compat_problems({"error": "x", "message": 3}) != []
