"""Progression documents in and out, as pure functions of their literals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.v2.progression import (
    API_DEVICE,
    InvalidProgression,
    PositionOutOfRange,
    ProgressionWrite,
    fraction,
    parse_write,
    progression_document,
)
from bagboard.domain.errors import InvalidInput
from bagboard.domain.progress import Device, ReadingProgress

LINKS = Links("https://comics.example/base")


def stored(page: int, client_time: int | None, device: Device | None = None) -> ReadingProgress:
    return ReadingProgress(
        path="/c/x.cbz",
        page_number=page,
        total_pages=10,
        time_spent=0,
        updated_at=datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
        client_updated_at=client_time,
        device=device,
    )


@pytest.mark.parametrize(
    ("page", "count", "expected"),
    [(1, 10, 0.0), (10, 10, 1.0), (4, 7, 0.5), (1, 1, 0.0), (3, 0, 0.0), (12, 10, 1.0)],
)
def test_fraction(page: int, count: int, expected: float) -> None:
    assert fraction(page, count) == expected


def test_the_document_out() -> None:
    device = Device("urn:uuid:1", "Tablet")
    assert progression_document(stored(4, 1_700_000_000, device), 7, 42, LINKS) == {
        "modified": "2023-11-14T22:13:20Z",
        "device": {"id": "urn:uuid:1", "name": "Tablet"},
        "progression": 0.5,
        "position": 4,
        "title": "Page 4",
        "references": ["https://comics.example/base/api/v1/issue/42/page/4"],
    }


def test_an_api_row_names_the_api_and_falls_back_to_the_server_time() -> None:
    document = progression_document(stored(1, None), 5, 7, LINKS)
    assert document["device"] == {"id": API_DEVICE.id, "name": API_DEVICE.name}
    assert document["modified"] == "2026-01-02T03:04:05Z"


@pytest.mark.parametrize(
    ("body", "page"),
    [
        (b'{"position": 3}', 3),
        (b'{"position": 3.0, "progression": 0.0}', 3),  # position wins
        (b'{"progression": 0.0}', 1),
        (b'{"progression": 1}', 5),
        (b'{"progression": 0.49}', 3),  # round(1.96) + 1
        (b'{"progression": 0.1}', 1),  # round(0.4) + 1
        (b'{"locator": {"locations": {"position": 2, "totalProgression": 1.0}}}', 2),
        (b'{"locator": {"locations": {"totalProgression": 0.5, "progression": 1.0}}}', 3),
        (b'{"locator": {"locations": {"total_progression": 0.75}}}', 4),
        (b'{"locator": {"locations": {"progression": 0.25}}}', 2),
        (b'{"progression": 0.5, "locator": {"locations": {"position": 5}}}', 3),  # flat wins
    ],
)
def test_the_page_a_body_names(body: bytes, page: int) -> None:
    assert parse_write(body, 5).page_number == page


def test_modified_any_offset_as_unix_seconds() -> None:
    def at(text: str) -> int | None:
        return parse_write(b'{"position": 1, "modified": "' + text.encode() + b'"}', 5).client_time

    assert at("2026-11-26T10:00:00Z") == 1_795_687_200
    assert at("2026-11-26T12:00:00+02:00") == 1_795_687_200
    assert at("2026-11-26T05:00:00.900-05:00") == 1_795_687_200
    assert at("2026-11-26T10:00:00") == 1_795_687_200  # no offset: UTC
    assert parse_write(b'{"position": 1}', 5).client_time is None


def test_the_device_when_given() -> None:
    write = parse_write(b'{"position": 1, "device": {"id": " urn:a ", "name": "A"}}', 5)
    assert write == ProgressionWrite(1, None, Device("urn:a", "A"))
    for device in (b'"urn:a"', b'{"name": "A"}', b'{"id": ""}', b"null", b'{"id": 5}'):
        assert parse_write(b'{"position": 1, "device": ' + device + b"}", 5).device is None


def test_the_change_stored() -> None:
    change = ProgressionWrite(2, 1_000, Device("urn:a", "A")).change(9)
    assert (change.page_number, change.total_pages, change.client_time) == (2, 9, 1_000)
    assert change.device == Device("urn:a", "A")
    assert not change.forward_only


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"position": 6}', PositionOutOfRange),
        (b'{"position": -1}', PositionOutOfRange),
        (b'{"position": 1e300}', PositionOutOfRange),
        (b'{"progression": 1.0001}', InvalidProgression),
        (b'{"progression": NaN}', InvalidProgression),
        (b'{"progression": null}', InvalidProgression),
        (b'{"locator": "page 2"}', InvalidProgression),
        (b"{}", InvalidProgression),
        (b"null", InvalidProgression),
        (b"  ", InvalidProgression),
    ],
)
def test_bodies_refused(body: bytes, error: type[InvalidInput]) -> None:
    with pytest.raises(error):
        parse_write(body, 5)


def test_a_comic_without_pages_takes_no_position() -> None:
    with pytest.raises(InvalidProgression):
        parse_write(b'{"position": 1}', 0)
