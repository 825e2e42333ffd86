"""``GET /api/v1/auth/ping``, HEAD support and the app's construction."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.middleware._internal.exceptions.middleware import ExceptionHandlerMiddleware
from litestar.routes import HTTPRoute
from litestar.types import Message

from bagboard.adapters.http import HttpServices, create_app
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.services.auth import Authenticator
from bagboard.services.settings import SettingsService
from tests.unit.http_support import (
    TEST_ROUTES,
    VERSION,
    Api,
    bearer,
    empty_browse,
    empty_issues,
    empty_problems,
    empty_progress,
    empty_renditions,
    empty_shelves,
    running_api,
)

PING = "/api/v1/auth/ping"


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


def plain_services() -> HttpServices:
    users, tokens, clock = MemoryUserStore(), MemoryTokenStore(), ManualClock()
    store = MemorySettingsStore()
    settings = SettingsService(store)
    browse = empty_browse(store, clock)
    shelves = empty_shelves(clock)
    progress = empty_progress(clock)
    return HttpServices(
        authenticator=lambda: Authenticator(users, tokens, clock),
        settings=lambda: settings,
        version="1.0.0",
        browse=lambda: browse,
        shelves=lambda: shelves,
        issues=empty_issues,
        progress=lambda: progress,
        renditions=empty_renditions,
        problems=empty_problems,
    )


def test_ping_answers_exactly_ok_version_and_browse_mode(api: Api) -> None:
    response = api.client.get(PING, headers=bearer(api.token()))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"ok": True, "version": VERSION, "browse_mode": "metadata"}


def test_ping_reports_the_saved_browse_mode(api: Api) -> None:
    api.settings.set_browse_mode("Filesystem")
    response = api.client.get(PING, headers=bearer(api.token()))
    assert response.json()["browse_mode"] == "filesystem"


def test_head_ping_answers_headers_without_a_body(api: Api) -> None:
    headers = bearer(api.token())
    got = api.client.get(PING, headers=headers)
    head = api.client.head(PING, headers=headers)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == "application/json"
    assert head.headers["content-length"] == got.headers["content-length"]


def _raw(app: Litestar, method: str) -> list[Message]:
    """The messages ``app`` sends in answer to ``method`` at ``PING`` (no token: a 503)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": PING, "raw_path": PING.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return sent


def test_head_answers_lose_their_body_on_the_wire_and_get_answers_pass_no_hook() -> None:
    app = create_app(plain_services())
    got, head = _raw(app, "GET"), _raw(app, "HEAD")
    assert got[0]["status"] == head[0]["status"] == 503
    assert got[0]["headers"] == head[0]["headers"]
    assert b"".join(m.get("body", b"") for m in got[1:])
    assert b"".join(m.get("body", b"") for m in head[1:]) == b""

    async def send(message: Message) -> None:
        return None

    # Any other method's answer is sent through the very send the server gave, and no layer
    # of the app's own runs around Litestar's handling of every request.
    assert app._wrap_send(send, {"method": "GET"}) is send  # type: ignore[attr-defined,arg-type]
    assert type(app.asgi_handler) is ExceptionHandlerMiddleware


def test_ping_has_no_arguments_for_litestar_to_gather() -> None:
    # Its services are bound when the app is built: per request, Litestar calls it as its
    # one-route floor calls a handler, with nothing to resolve, gather or check.
    app = create_app(plain_services())
    route = next(r for r in app.routes if isinstance(r, HTTPRoute) and r.path == PING)
    _handler, model = route.route_handler_map["GET"]
    assert not model.has_kwargs
    assert not model.dependency_batches


def test_every_get_route_also_answers_head() -> None:
    app = create_app(plain_services(), extra_route_handlers=TEST_ROUTES)
    for route in app.routes:
        if isinstance(route, HTTPRoute) and "GET" in route.methods:
            assert "HEAD" in route.methods, route.path


def test_every_route_lives_under_api_v1_or_opds() -> None:
    app = create_app(plain_services())
    # Besides the page at ``/`` that links to both.
    paths = [route.path for route in app.routes if route.path != "/"]
    assert any(path.startswith("/api/v1/") for path in paths)
    assert any(path.startswith("/opds/v1.2/") for path in paths)
    assert any(path.startswith("/opds/v2.0/") for path in paths)
    assert all(path.startswith(("/api/v1/", "/opds")) for path in paths), paths


def test_app_builds_without_framework_warnings() -> None:
    # Collect what earlier tests left behind first: a file another module's world left open
    # must not be finalised inside this window and pass for a warning of building the app.
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        create_app(plain_services(), extra_route_handlers=TEST_ROUTES)


def test_the_heap_is_frozen_while_the_app_runs_and_thawed_when_it_stops() -> None:
    # Full garbage collections skip what the started app holds; a stopped app leaves the
    # process's collector as it found it.
    with running_api() as api:
        assert gc.get_freeze_count() > 0
        assert api.client.get(PING, headers=bearer(api.token())).status_code == 200
    assert gc.get_freeze_count() == 0


def test_service_factories_run_per_request_and_never_for_refused_ones() -> None:
    settings = SettingsService(MemorySettingsStore())
    calls: list[SettingsService] = []

    def factory() -> SettingsService:
        calls.append(settings)
        return settings

    with running_api(settings_factory=factory) as api:
        assert api.client.get(PING).status_code == 503
        assert calls == []
        headers = bearer(api.token())
        api.client.get(PING, headers=headers)
        api.client.get(PING, headers=headers)
    assert len(calls) == 2
