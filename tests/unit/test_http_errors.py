"""Every error is a JSON object with a code and a message (contract §1)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from bagboard.adapters.http.errors import DOMAIN_ERROR_STATUS, status_for
from bagboard.domain import errors
from bagboard.domain.errors import DomainError, StorageUnavailable
from bagboard.services.settings import SettingsService
from tests.unit.http_support import Api, FailingSettingsStore, bearer, running_api

PING = "/api/v1/auth/ping"


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


@pytest.fixture
def auth(api: Api) -> dict[str, str]:
    return bearer(api.token())


def error_body(response: httpx.Response, status: int) -> dict[str, str]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body: dict[str, str] = response.json()
    assert set(body) == {"error", "message"}
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def all_domain_errors() -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    pending = [DomainError]
    while pending:
        cls = pending.pop()
        found.extend(cls.__subclasses__())
        pending.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("cls", all_domain_errors(), ids=lambda cls: cls.__name__)
def test_every_domain_error_has_a_status(cls: type[DomainError]) -> None:
    assert status_for(cls("x")) is not None


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("NotFound", 404, "not_found"),
        ("ComicNotFound", 404, "not_found"),
        ("AlreadyExists", 409, "already_exists"),
        ("InvalidInput", 400, "invalid_input"),
        ("InvalidMode", 400, "invalid_mode"),
        ("InvalidPath", 400, "invalid_path"),
        ("ApiDisabled", 503, "api_disabled"),
        ("Unauthorized", 401, "unauthorized"),
        ("ArchiveUnreadable", 422, "archive_unreadable"),
        ("StorageUnavailable", 503, "storage_unavailable"),
    ],
)
def test_domain_errors_map_to_status_and_code(
    api: Api, auth: dict[str, str], name: str, status: int, code: str
) -> None:
    body = error_body(api.client.get(f"/api/v1/_test/raise/{name}", headers=auth), status)
    assert body == {"error": code, "message": f"{name} happened"}


def test_a_stale_write_also_carries_the_current_position(api: Api, auth: dict[str, str]) -> None:
    response = api.client.get("/api/v1/_test/raise/StaleProgress", headers=auth)
    assert (response.status_code, response.headers["content-type"]) == (409, "application/json")
    assert response.json() == {
        "error": "stale",
        "message": "StaleProgress happened",
        "current": None,
    }


def test_the_table_lists_the_contract_statuses() -> None:
    assert DOMAIN_ERROR_STATUS[errors.NotFound] == 404
    assert DOMAIN_ERROR_STATUS[errors.StorageUnavailable] == 503


def test_storage_unavailable_tells_the_client_to_retry(api: Api, auth: dict[str, str]) -> None:
    response = api.client.get("/api/v1/_test/raise/StorageUnavailable", headers=auth)
    assert response.headers["retry-after"] == "1"


def test_storage_unavailable_from_a_store_answers_503() -> None:
    failing = FailingSettingsStore(StorageUnavailable("database is locked"))
    with running_api(settings_store=failing) as api:
        response = api.client.get(PING, headers=bearer(api.token()))
    body = error_body(response, 503)
    assert body["error"] == "storage_unavailable"
    assert response.headers["retry-after"] == "1"


def test_unknown_route_under_the_api_is_json_404(api: Api, auth: dict[str, str]) -> None:
    assert error_body(api.client.get("/api/v1/nope", headers=auth), 404)["error"] == "not_found"


def test_unknown_route_outside_the_api_is_json_404_too(api: Api) -> None:
    assert error_body(api.client.get("/index.html"), 404)["error"] == "not_found"


def test_wrong_method_is_json_405_with_allow_header(api: Api, auth: dict[str, str]) -> None:
    response = api.client.post(PING, headers=auth, json={})
    assert error_body(response, 405)["error"] == "method_not_allowed"
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert "POST" not in allowed


def test_oversized_body_is_refused_with_413(api: Api, auth: dict[str, str]) -> None:
    huge = b'{"a":"' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = api.client.post(
        "/api/v1/_test/echo",
        headers={**auth, "Content-Type": "application/json"},
        content=huge,
    )
    assert error_body(response, 413)["error"] == "payload_too_large"


def test_small_body_is_accepted(api: Api, auth: dict[str, str]) -> None:
    response = api.client.post("/api/v1/_test/echo", headers=auth, json={"a": 1, "b": 2})
    assert response.status_code == 201
    assert response.json() == {"keys": 2}


def test_invalid_parameter_is_400_invalid_input_naming_the_parameter(
    api: Api, auth: dict[str, str]
) -> None:
    response = api.client.get("/api/v1/_test/number?n=abc", headers=auth)
    body = error_body(response, 400)
    assert body["error"] == "invalid_input"
    assert "n" in body["message"]
    assert "/api/v1" not in body["message"]


def test_body_that_is_not_json_is_400_invalid_input(api: Api, auth: dict[str, str]) -> None:
    response = api.client.post(
        "/api/v1/_test/echo",
        headers={**auth, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert error_body(response, 400)["error"] == "invalid_input"


def test_unexpected_exception_is_a_bare_500_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    secret_detail = "/srv/secret/bagboard.db is on fire"
    failing = FailingSettingsStore(RuntimeError(secret_detail))
    with (
        running_api(settings_store=failing) as api,
        caplog.at_level(logging.ERROR, logger="bagboard.http"),
    ):
        response = api.client.get(PING, headers=bearer(api.token()))
    body = error_body(response, 500)
    assert body == {"error": "internal_error", "message": "Internal server error"}
    for leak in ("Traceback", "RuntimeError", "/srv", ".py", "secret"):
        assert leak not in response.text
    logged = [r for r in caplog.records if r.name == "bagboard.http"]
    assert logged
    assert logged[0].exc_info is not None
    assert secret_detail in caplog.text
    assert "Traceback" in caplog.text


def test_debug_mode_still_hides_internals() -> None:
    failing = FailingSettingsStore(RuntimeError("/srv/secret/bagboard.db"))
    with running_api(settings_store=failing, debug=True) as api:
        response = api.client.get(PING, headers=bearer(api.token()))
    assert error_body(response, 500)["error"] == "internal_error"
    assert "Traceback" not in response.text
    assert "/srv" not in response.text


def test_failing_service_factory_is_a_bare_500() -> None:
    def broken() -> SettingsService:
        raise LookupError("container misconfigured")

    with running_api(settings_factory=broken) as api:
        response = api.client.get(PING, headers=bearer(api.token()))
    assert error_body(response, 500)["error"] == "internal_error"
    assert "container" not in response.text


def test_head_of_an_error_keeps_status_and_drops_the_body(api: Api) -> None:
    api.token()
    response = api.client.head(PING)
    assert response.status_code == 401
    assert response.content == b""


def test_missing_parameter_is_400_naming_it(api: Api, auth: dict[str, str]) -> None:
    body = error_body(api.client.get("/api/v1/_test/number", headers=auth), 400)
    assert body["error"] == "invalid_input"
    assert "'n'" in body["message"]
    assert "/api/v1" not in body["message"]
