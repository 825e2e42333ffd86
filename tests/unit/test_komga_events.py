"""``GET /komga/sse/v1/events``: a heartbeat stream for signed-in clients only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bagboard.adapters.http.komga import event_routes
from tests.browse_support import World, browse_world
from tests.unit.komga_support import basic, owner_name


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with browse_world("sqlite", tmp_path_factory) as built:
        yield built


@pytest.fixture
def short(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test client reads a response to its end: a short life lets the stream end.
    monkeypatch.setattr(event_routes, "HEARTBEAT_SECONDS", 0.01)
    monkeypatch.setattr(event_routes, "LIFETIME_SECONDS", 0.2)


def test_a_signed_in_client_gets_heartbeats(world: World, short: None) -> None:
    world.client.cookies.clear()
    response = world.client.get("/komga/sse/v1/events", headers={"X-API-Key": world.owner})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.content.startswith(b": ping\n\n")
    # More than the first one came within its life, and nothing but comment lines.
    assert response.content.count(b": ping\n\n") >= 2
    assert response.content.replace(b": ping\n\n", b"") == b""


def test_basic_credentials_work_too(world: World, short: None) -> None:
    world.client.cookies.clear()
    headers = basic(owner_name(world), world.owner)
    response = world.client.get("/komga/sse/v1/events", headers=headers)
    assert response.status_code == 200 and response.content.startswith(b": ping")


def test_no_credentials_is_a_401(world: World, short: None) -> None:
    world.client.cookies.clear()
    response = world.client.get("/komga/sse/v1/events")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].lower().startswith("basic")
    assert b"ping" not in response.content
    bad = world.client.get("/komga/sse/v1/events", headers={"X-API-Key": "nope"})
    assert bad.status_code == 401
