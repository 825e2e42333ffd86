"""``/koreader`` when something breaks behind it: the reference envelope, no traceback, no
server path and nothing the client sent as a credential, in the reply or in the log; and no
``/koreader`` at all when the app is built without KOReader sync."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from bagboard.adapters.http import HttpServices, create_app
from bagboard.adapters.http.access_log import AccessLogMiddleware
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain.errors import StorageUnavailable
from bagboard.domain.model import Role, User
from bagboard.services.auth import Authenticator
from bagboard.services.kosync import KosyncService
from bagboard.services.settings import SettingsService
from tests.unit.http_support import (
    empty_browse,
    empty_issues,
    empty_problems,
    empty_progress,
    empty_renditions,
    empty_shelves,
)

SECRET_PATH = "/srv/private/comics/Saga 001.cbz"
KEY = "5ebe2294ecd0e0f08eab7690d2a6ee69"
DOC = "0123456789abcdef0123456789abcdef"
BODY = {"document": DOC, "progress": "3", "percentage": 0.1, "device": "Kobo"}


class Broken(KosyncService):
    """A kosync service that signs everyone in and then fails as told."""

    def __init__(self, error: Exception) -> None:  # no super(): it reaches no store
        self.error = error

    def sign_in(self, user_name: str | None, key: str | None, address: str | None) -> User:
        return User(1, "alice", Role.OWNER)

    def push(self, *args: Any, **kwargs: Any) -> int:
        raise self.error

    def pull(self, *args: Any, **kwargs: Any) -> None:
        raise self.error


def _services(kosync: Any) -> HttpServices:
    clock, store = ManualClock(), MemorySettingsStore()
    users, tokens = MemoryUserStore(), MemoryTokenStore()
    settings, browse = SettingsService(store), empty_browse(store, clock)
    shelves, progress = empty_shelves(clock), empty_progress(clock)
    return HttpServices(
        authenticator=lambda: Authenticator(users, tokens, clock),
        settings=lambda: settings,
        version="1",
        browse=lambda: browse,
        shelves=lambda: shelves,
        issues=empty_issues,
        progress=lambda: progress,
        renditions=empty_renditions,
        problems=empty_problems,
        kosync=kosync,
    )


@pytest.fixture(params=[False, True], ids=["plain", "debug"])
def debug(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def _client(error: Exception, debug: bool) -> Iterator[TestClient[Any]]:
    service = Broken(error)
    app = create_app(_services(lambda: service), debug=debug)
    with TestClient(AccessLogMiddleware(app)) as client:
        yield client


@pytest.mark.parametrize(
    ("error", "status"),
    [(RuntimeError(f"cannot open {SECRET_PATH}"), 500), (StorageUnavailable("locked"), 503)],
)
def test_a_failure_behind_the_routes_says_nothing_of_the_server(
    error: Exception, status: int, debug: bool, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"x-auth-user": "alice", "x-auth-key": KEY}
    with caplog.at_level(logging.DEBUG):
        for client in _client(error, debug):
            replies = [
                client.put("/koreader/syncs/progress", json=BODY, headers=headers),
                client.get(f"/koreader/syncs/progress/{DOC}", headers=headers),
            ]
    for response in replies:
        assert response.status_code == status
        assert response.headers.get_list("content-type") == ["application/json"]
        assert response.json()["code"] == 2000 and set(response.json()) == {"code", "message"}
        assert SECRET_PATH not in response.text and "Traceback" not in response.text
    logged = "\n".join(
        record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    assert "/koreader/syncs/progress" in logged  # the access log wrote its lines
    assert SECRET_PATH not in logged and KEY not in logged and "alice" not in logged


def test_without_kosync_there_is_no_koreader_route() -> None:
    with TestClient(create_app(_services(None))) as client:
        response = client.get("/koreader/healthcheck")
    assert response.status_code == 404
    assert "code" not in response.json()  # the app's own error body, not kosync's
