"""Rules of single list items that the envelope and the wire structs do not express."""

from __future__ import annotations

from bagboard.conformance.discovery import Found
from bagboard.conformance.targets import ListTarget, list_targets


def rules_of(name: str) -> ListTarget:
    found = Found(fs_publisher={"value": "DC", "name": "DC", "path": "/data/DC"})
    targets = [t for t in list_targets(found) if isinstance(t, ListTarget) and t.name == name]
    assert len(targets) == 1
    return targets[0]


def problems(name: str, item: dict[str, object]) -> list[str]:
    rules = rules_of(name).rules
    assert rules is not None
    return rules(item)


FILE_ROW = {"type": "file", "id": 1, "has_progress": False, "last_page": None}


def test_to_read_file_rows_carry_id_and_progress_and_folder_rows_never() -> None:
    assert problems("to-read", FILE_ROW) == []
    assert problems("to-read", {"type": "file", "id": 1}) == [
        "a file row without has_progress, last_page"
    ]
    assert problems("to-read", {"type": "folder"}) == []
    assert problems("to-read", {"type": "folder", "id": 1}) == ["a folder row with id"]
    assert problems("to-read", {"type": "comic"}) == ["type 'comic', neither 'file' nor 'folder'"]


def test_to_read_volume_rows_carry_series_and_volume_together() -> None:
    row = {"type": "folder", "series": "Swamp Thing", "volume": "v1985"}
    assert problems("to-read", row) == []
    assert problems("to-read", {"type": "folder", "volume": "v1985"}) == [
        "a volume row needs both series and volume"
    ]
    assert problems("to-read", {"type": "folder", "volumes": []}) == [
        "volumes is [] (the key must be absent instead)"
    ]


def test_folders_echo_their_name_and_never_list_no_volumes() -> None:
    assert problems("series-filesystem", {"value": "Batman", "name": "Batman"}) == []
    assert problems("series-filesystem", {"value": "a", "name": "b", "volumes": []}) == [
        "value differs from name",
        "volumes is [] (the key must be absent instead)",
    ]


def test_favorites_are_publishers_and_recent_items_files() -> None:
    assert problems("favorites", {"type": "publisher"}) == []
    assert problems("favorites", {"type": "folder"}) == ["type 'folder', not 'publisher'"]
    assert problems("recent", {"type": "folder"}) == ["type 'folder', not 'file'"]


def test_orders_judge_neighbours() -> None:
    order = rules_of("recent").order
    assert order is not None
    newest_first, what = order
    assert what == "added_at descending"
    assert newest_first({"added_at": "2026-04-20 09:33:11"}, {"added_at": "2026-04-19 00:00:00"})
    assert not newest_first(
        {"added_at": "2026-04-19 00:00:00"}, {"added_at": "2026-04-20 00:00:00"}
    )
    # a malformed item is the shape check's to report, not the order's
    assert newest_first({"added_at": None}, {"added_at": "2026-04-20 00:00:00"})


def test_lists_discovery_found_nothing_for_are_named_to_skip() -> None:
    names = [t for t in list_targets(Found()) if isinstance(t, str)]
    assert names == [
        "series-filesystem", "issues-filesystem", "issues-metadata", "issues-metadata-by-year",
    ]  # fmt: skip


def test_file_names_in_natural_order_are_an_extension_and_issue_numbers_core() -> None:
    found = Found(fs_publisher={"value": "DC", "name": "DC", "path": "/data/DC"})
    found.fs_series = {"value": "Batman", "name": "Batman", "path": "/data/DC/Batman"}
    found.meta_series = "Batman"
    by_name = {t.name: t for t in list_targets(found) if isinstance(t, ListTarget)}
    files, numbers = by_name["issues-filesystem"], by_name["issues-metadata"]
    assert files.order is not None and files.order_is_extension
    assert numbers.order is not None and not numbers.order_is_extension
    in_files_order, in_numbers_order = files.order[0], numbers.order[0]
    assert in_files_order({"name": "Batman 2.cbz"}, {"name": "batman 10.cbz"})
    assert not in_files_order({"name": "Batman 10.cbz"}, {"name": "Batman 2.cbz"})
    assert in_numbers_order({"number": "1.5"}, {"number": "2"})
    assert in_numbers_order({"number": "10"}, {"number": "Annual"})
    assert not in_numbers_order({"number": "10"}, {"number": "9"})


def test_times_are_utc_stamps_and_the_feed_gives_the_same_second_twice() -> None:
    recent = {"type": "file", "added_at": "2026-04-20T09:33:11Z"}
    assert problems("recent", recent) == [
        "added_at '2026-04-20T09:33:11Z' is not YYYY-MM-DD HH:MM:SS"
    ]
    item = {"updated_at": "2023-11-14 22:13:20", "updated_at_unix": 1700000000}
    assert problems("progress-since", item) == []
    shifted = {**item, "updated_at": "2023-11-14 23:13:20"}  # local time, not UTC
    assert problems("progress-since", shifted) == [
        "updated_at '2023-11-14 23:13:20' but updated_at_unix 1700000000 is "
        "'2023-11-14 22:13:20' UTC"
    ]


def test_volumes_come_in_natural_order_and_years_are_ints_or_empty() -> None:
    ordered = {"value": "Thunder", "name": "Thunder", "volumes": ["v2", "v10"]}
    assert problems("series-filesystem", ordered) == []
    assert problems("series-filesystem", {**ordered, "volumes": ["v10", "v2"]}) == [
        "volumes ['v10', 'v2'] not in natural order"
    ]
    assert problems("series-metadata", {"year": 1985}) == []
    assert problems("series-metadata", {"year": ""}) == []
    assert problems("series-metadata", {"year": "1985"}) == [
        "year '1985': an int, or \"\" when no issue has one"
    ]
