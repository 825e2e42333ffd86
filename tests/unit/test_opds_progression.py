"""``/opds/v2.0/issue/<id>/progression``: one position shared with ``/api/v1/progress``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.browse_support import BACKENDS
from tests.opds2_support import BASE, SAGA_PAGES, V2, Opds2World, opds2_world, saga

PROGRESSION = "application/opds-progression+json"
NOW = datetime.now(UTC).replace(microsecond=0)
READER = {"id": "urn:uuid:0f3c2b8e-0000-4000-8000-000000000001", "name": "Tablet reader"}
PHONE = {"id": "urn:uuid:0f3c2b8e-0000-4000-8000-000000000002", "name": "Phone reader"}


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opds2World]:
    with opds2_world(request.param, tmp_path_factory) as built:
        yield built


def iso(moment: datetime) -> str:
    return moment.isoformat()


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def url_of(world: Opds2World, number: int) -> str:
    return f"{V2}/issue/{world.id_of(saga(number))}/progression"


def api_position(world: Opds2World, number: int) -> Any:
    path = str(world.root_a / saga(number))
    response = world.client.get(
        "/api/v1/progress",
        params={"path": path},
        headers={"Authorization": f"Bearer {world.owner}"},
    )
    assert response.status_code == 200
    return response.json()


def document(
    world: Opds2World, number: int, page: int, modified: str, device: dict[str, str]
) -> Any:
    return {
        "modified": modified,
        "device": device,
        "progression": (page - 1) / (SAGA_PAGES - 1),
        "position": page,
        "title": f"Page {page}",
        "references": [f"{BASE}/api/v1/issue/{world.id_of(saga(number))}/page/{page}"],
    }


def test_no_position_is_a_204(world: Opds2World) -> None:
    response = world.get(url_of(world, 1))
    assert response.status_code == 204
    assert response.content == b""


def test_a_flat_put_is_stored_and_shows_in_the_api(world: Opds2World) -> None:
    url = url_of(world, 2)
    body = {
        "modified": iso(NOW),
        "device": READER,
        "progression": 2 / 3,
        "position": 3,
        "title": "Page 3",
    }
    saved = world.put(url, body)
    assert saved.status_code == 200
    assert saved.headers["content-type"] == PROGRESSION
    expected = document(world, 2, 3, z(NOW), READER)
    assert saved.json() == expected
    again = world.get(url)
    assert again.status_code == 200
    assert again.json() == expected
    detail = world.get(f"/api/v1/issue/{world.id_of(saga(2))}").json()
    assert detail["progress"]["page_number"] == 3
    assert detail["progress"]["total_pages"] == SAGA_PAGES
    stored = api_position(world, 2)
    assert stored["page_number"] == 3
    assert stored["client_updated_at"] == int(NOW.timestamp())


def test_a_position_saved_through_the_api_shows_here(world: Opds2World) -> None:
    path = str(world.root_a / saga(3))
    saved = world.client.put(
        "/api/v1/progress",
        json={
            "path": path,
            "page_number": 4,
            "total_pages": SAGA_PAGES,
            "updated_at": 1_700_000_000,
        },
        headers={"Authorization": f"Bearer {world.owner}"},
    )
    assert saved.status_code == 200
    response = world.get(url_of(world, 3))
    assert response.status_code == 200
    assert response.json() == document(
        world,
        3,
        4,
        z(datetime.fromtimestamp(1_700_000_000, UTC)),
        {"id": "urn:bagboard:api", "name": "bagboard API"},
    )
    assert response.json()["progression"] == 1.0


def test_progression_alone_picks_the_nearest_page(world: Opds2World) -> None:
    url = url_of(world, 4)
    for fraction, page in ((0.0, 1), (0.3, 2), (0.5, 3), (1.0, 4)):
        saved = world.put(url, {"progression": fraction, "device": READER})
        assert saved.status_code == 200, saved.text
        assert saved.json()["position"] == page
        assert api_position(world, 4)["page_number"] == page


def test_the_locator_shape_is_accepted(world: Opds2World) -> None:
    url = url_of(world, 5)
    locator = {
        "modified": iso(NOW),
        "device": PHONE,
        "locator": {
            "href": f"{BASE}/api/v1/issue/{world.id_of(saga(5))}/page/2",
            "type": "image/jpeg",
            "locations": {
                "progression": 1.0,
                "totalProgression": 1.0,
                "total_progression": 1.0,
                "position": 2,
            },
        },
    }
    saved = world.put(url, locator)
    assert saved.status_code == 200
    assert saved.json()["position"] == 2
    assert saved.json()["device"] == PHONE
    del locator["locator"]["locations"]["position"]  # type: ignore[index]
    assert world.put(url, locator).json()["position"] == SAGA_PAGES
    snake = {"locator": {"locations": {"total_progression": 0.0}}}
    assert world.put(url, snake).json()["position"] == 1


def test_a_stale_put_gets_409_with_the_current_document(world: Opds2World) -> None:
    url = url_of(world, 6)
    # Ahead of the server's clock, within the five minutes a device clock is trusted.
    later = NOW + timedelta(minutes=4)
    newer = {"modified": iso(later), "device": PHONE, "position": 3}
    assert world.put(url, newer).status_code == 200
    before = api_position(world, 6)
    stale = world.put(url, {"modified": iso(NOW), "device": READER, "position": 1})
    assert stale.status_code == 409
    current = document(world, 6, 3, z(later), PHONE)
    assert stale.json() == current
    assert world.get(url).json() == current
    assert api_position(world, 6) == before
    # The same time again is a replay, accepted.
    replay = world.put(url, {"modified": iso(later), "device": PHONE, "position": 4})
    assert replay.status_code == 200
    assert replay.json()["position"] == 4


def test_modified_with_an_offset_is_compared_as_the_same_instant(world: Opds2World) -> None:
    url = url_of(world, 7)
    stored = NOW + timedelta(minutes=3)
    assert world.put(url, {"modified": z(stored), "position": 2}).status_code == 200
    # 30 minutes before, written in UTC+02:00: older, so refused.
    earlier = NOW.astimezone(timezone(timedelta(hours=2)))
    assert world.put(url, {"modified": iso(earlier), "position": 3}).status_code == 409
    # The same instant as stored, written at another offset: a replay.
    same = stored.astimezone(timezone(timedelta(hours=-5)))
    assert world.put(url, {"modified": iso(same), "position": 3}).status_code == 200


def test_an_untimed_put_counts_as_now(world: Opds2World) -> None:
    url = url_of(world, 8)
    assert world.put(url, {"position": 2}).status_code == 200
    old = NOW - timedelta(days=1)
    assert world.put(url, {"modified": iso(old), "position": 4}).status_code == 409
    assert world.get(url).json()["position"] == 2


def test_any_content_type_is_read_as_json(world: Opds2World) -> None:
    url = url_of(world, 9)
    for content_type in (
        "text/plain",
        "application/octet-stream",
        "application/vnd.readium.progression+json",
    ):
        saved = world.put(
            url,
            content=b'{"position": 3}',
            headers={"Content-Type": content_type},
        )
        assert saved.status_code == 200, content_type
        assert saved.json()["position"] == 3


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"position": 0}', "position_out_of_range"),
        (b'{"position": 5}', "position_out_of_range"),
        (b'{"locator": {"locations": {"position": 99}}}', "position_out_of_range"),
        (b'{"progression": 1.5}', "invalid_progression"),
        (b'{"progression": -0.1}', "invalid_progression"),
        (b'{"progression": "half"}', "invalid_progression"),
        (b'{"position": 1.5}', "invalid_progression"),
        (b'{"position": true}', "invalid_progression"),
        (b'{"title": "Page 2"}', "invalid_progression"),
        (b'{"locator": {"locations": {}}}', "invalid_progression"),
        (b'{"position": 2, "modified": "yesterday"}', "invalid_progression"),
        (b'{"position": 2, "modified": 5}', "invalid_progression"),
        (b'{"position": 2, "modified": "1969-12-31T23:00:00Z"}', "invalid_progression"),
        (b'{"position": 2, "device": {"id": "x", "name": "' + b"n" * 300 + b'"}}', "invalid_input"),
        (b"[1, 2]", "invalid_progression"),
        (b'"position"', "invalid_progression"),
        (b"{not json", "invalid_progression"),
        (b"\xff\xfe", "invalid_progression"),
        (b"", "invalid_progression"),
    ],
)
def test_bad_bodies_are_400s_and_store_nothing(world: Opds2World, body: bytes, error: str) -> None:
    url = url_of(world, 10)
    response = world.put(url, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error
    assert response.json()["message"]
    assert world.get(url).status_code == 204


def test_a_huge_body_is_a_400(world: Opds2World) -> None:
    url = url_of(world, 11)
    huge = b'{"position": 2, "title": "' + b"x" * (200 * 1024) + b'"}'
    response = world.put(url, content=huge)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_progression"
    assert world.get(url).status_code == 204


def test_another_librarys_issue_is_a_404(world: Opds2World) -> None:
    hidden = f"{V2}/issue/{world.hidden_id()}/progression"
    assert world.get(hidden, world.kid).status_code == 404
    assert world.put(hidden, {"position": 1}, world.kid).status_code == 404
    assert world.get(hidden).status_code == 204  # nothing was written for anyone
    for raw in ("999999", "abc"):
        assert world.get(f"{V2}/issue/{raw}/progression").status_code == 404
        assert world.put(f"{V2}/issue/{raw}/progression", {"position": 1}).status_code == 404


def test_positions_are_per_user(world: Opds2World) -> None:
    url = url_of(world, 12)
    assert world.put(url, {"position": 3}).status_code == 200
    assert world.get(url, world.kid).status_code == 204
    assert world.put(url, {"position": 2}, world.kid).status_code == 200
    assert world.get(url).json()["position"] == 3
    assert world.get(url, world.kid).json()["position"] == 2


def test_progression_needs_a_login(world: Opds2World) -> None:
    url = url_of(world, 13)
    assert world.client.get(url).status_code == 401
    assert world.client.put(url, json={"position": 1}).status_code == 401
    assert world.get(url).status_code == 204


def test_the_readium_locator_address_shares_the_position(world: Opds2World) -> None:
    """Readers that speak only the older Readium locator (Cantook) read and write the same
    stored position at ``…/progression/readium``."""
    reader = world.new_reader()
    flat = url_of(world, 3)
    readium = flat + "/readium"
    assert world.get(readium, reader).status_code == 204
    body = {"modified": "2026-01-01T10:00:00Z", "locator": {"locations": {"position": 3}}}
    saved = world.put(readium, body, reader)
    assert saved.status_code == 200
    assert saved.headers["content-type"] == "application/vnd.readium.progression+json"
    document = saved.json()
    assert document["locator"]["locations"]["position"] == 3
    assert document["locator"]["locations"]["totalProgression"] == 2 / 3
    assert document["locator"]["href"].endswith("/page/3")
    assert world.get(flat, reader).json()["position"] == 3
    # A flat write is seen through the locator address, and an older one is refused there.
    assert world.put(flat, {"position": 2, "modified": "2026-01-02T10:00:00Z"}, reader).is_success
    assert world.get(readium, reader).json()["locator"]["locations"]["position"] == 2
    stale = world.put(readium, {"position": 4, "modified": "2025-12-31T10:00:00Z"}, reader)
    assert stale.status_code == 409
    assert stale.json()["locator"]["locations"]["position"] == 2
    assert world.get(flat, reader).json()["position"] == 2


def test_a_comic_marked_read_elsewhere_shows_at_its_last_page(world: Opds2World) -> None:
    """A read mark (here through /api/v1) puts the position at the last page, so an OPDS
    reader that syncs only positions sees the comic finished; a device clock a little behind
    the server's time that mark was stamped with still saves after it."""
    reader = world.new_reader()
    url = url_of(world, 20)
    path = str(world.root_a / saga(20))
    marked = world.client.post(
        "/api/v1/issues/read", json={"path": path}, headers={"Authorization": f"Bearer {reader}"}
    )
    assert marked.status_code == 200
    finished = world.get(url, reader).json()
    assert (finished["position"], finished["progression"]) == (SAGA_PAGES, 1.0)

    stamped = datetime.fromisoformat(finished["modified"].replace("Z", "+00:00"))
    lagging = {"modified": iso(stamped - timedelta(seconds=30)), "position": 2}
    assert world.put(url, lagging, reader).status_code == 200
    assert world.get(url, reader).json()["position"] == 2
