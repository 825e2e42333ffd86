"""The /api/v1 token gate (contract §2), over HTTP on memory adapters."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest

from bagboard.domain.errors import StorageUnavailable
from tests.unit.http_support import Api, FailingTokenStore, bearer, running_api

PING = "/api/v1/auth/ping"


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "message"}
    assert body["error"] == code
    assert body["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer whatever"},
        {"Authorization": "Basic dXNlcjpwdw=="},
        {"X-API-Key": "whatever"},
    ],
)
def test_no_token_at_all_answers_503_api_disabled_whatever_the_headers(
    api: Api, headers: dict[str, str]
) -> None:
    response = api.client.get(PING, headers=headers)
    assert_error(response, 503, "api_disabled")
    assert "bagboard token create" in response.json()["message"]


def test_no_token_at_all_gates_test_routes_too(api: Api) -> None:
    assert_error(api.client.get("/api/v1/_test/whoami"), 503, "api_disabled")


def test_unknown_api_route_answers_json_404_even_before_any_token_exists(api: Api) -> None:
    # Routing happens before the gate: a path nobody serves is a 404, like the reference server.
    assert_error(api.client.get("/api/v1/no/such/thing"), 404, "not_found")


def test_valid_bearer_token_is_let_through(api: Api) -> None:
    response = api.client.get(PING, headers=bearer(api.token()))
    assert response.status_code == 200


def test_x_api_key_header_is_accepted(api: Api) -> None:
    response = api.client.get(PING, headers={"X-API-Key": api.token()})
    assert response.status_code == 200


def test_basic_auth_with_the_token_as_password_is_accepted(api: Api) -> None:
    secret = api.token()
    encoded = base64.b64encode(f"any name:{secret}".encode()).decode()
    response = api.client.get(PING, headers={"Authorization": f"Basic {encoded}"})
    assert response.status_code == 200
    wrong = base64.b64encode(f"{secret}:nope".encode()).decode()
    response = api.client.get(PING, headers={"Authorization": f"Basic {wrong}"})
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "BeArEr"])
def test_the_bearer_scheme_is_matched_in_any_case(api: Api, scheme: str) -> None:
    # RFC 9110 §11.1: auth scheme names are case-insensitive (contract §2, a better-than rule).
    secret = api.token()
    assert api.client.get(PING, headers={"Authorization": f"{scheme} {secret}"}).is_success
    wrong = api.client.get(PING, headers={"Authorization": f"{scheme} {secret}x"})
    assert_error(wrong, 401, "unauthorized")


def test_whitespace_around_the_token_is_trimmed(api: Api) -> None:
    secret = api.token()
    assert api.client.get(PING, headers={"Authorization": f"Bearer   {secret}  "}).is_success
    assert api.client.get(PING, headers={"X-API-Key": f"  {secret}\t"}).is_success


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda s: f"Basic {s}", id="basic-scheme"),
        pytest.param(lambda s: f"Bearer{s}", id="no-space"),
        pytest.param(lambda s: s, id="no-scheme"),
        pytest.param(lambda s: "Bearer ", id="empty-token"),
        pytest.param(lambda s: "Bearer    ", id="blank-token"),
        pytest.param(lambda s: "Bearer not-the-token", id="unknown-token"),
    ],
)
def test_malformed_or_unknown_credentials_answer_401(
    api: Api, header: Callable[[str], str]
) -> None:
    secret = api.token()
    value = header(secret)
    assert_error(api.client.get(PING, headers={"Authorization": value}), 401, "unauthorized")


def test_missing_header_answers_401_once_a_token_exists(api: Api) -> None:
    api.token()
    assert_error(api.client.get(PING), 401, "unauthorized")


def test_unknown_x_api_key_answers_401(api: Api) -> None:
    api.token()
    assert_error(api.client.get(PING, headers={"X-API-Key": "nope"}), 401, "unauthorized")


def test_revoked_token_answers_401_while_another_token_exists(api: Api) -> None:
    issued = api.accounts.create_token(token_name="phone")
    other = api.token()
    api.accounts.revoke_token(issued.token.id)
    assert_error(api.client.get(PING, headers=bearer(issued.secret)), 401, "unauthorized")
    assert api.client.get(PING, headers=bearer(other)).status_code == 200


def test_only_token_revoked_still_answers_401_not_503(api: Api) -> None:
    issued = api.accounts.create_token()
    api.accounts.revoke_token(issued.token.id)
    assert_error(api.client.get(PING, headers=bearer(issued.secret)), 401, "unauthorized")


def test_tokens_of_two_users_authenticate_as_those_users(api: Api) -> None:
    api.accounts.add_user("alice")
    api.accounts.add_user("bob")
    alice = api.client.get("/api/v1/_test/whoami", headers=bearer(api.token("alice"))).json()
    bob = api.client.get("/api/v1/_test/whoami", headers={"X-API-Key": api.token("bob")}).json()
    assert alice["name"] == "alice"
    assert bob["name"] == "bob"
    assert alice["id"] != bob["id"]


def test_last_used_at_is_written_at_most_once_a_minute(api: Api) -> None:
    issued = api.accounts.create_token()
    headers = bearer(issued.secret)

    def last_used() -> object:
        return api.tokens.list()[0].last_used_at

    assert last_used() is None
    api.client.get(PING, headers=headers)
    first = last_used()
    assert first == api.clock.now()

    api.clock.advance(timedelta(seconds=30))
    api.client.get(PING, headers=headers)
    assert last_used() == first

    api.clock.advance(timedelta(seconds=31))
    api.client.get(PING, headers=headers)
    assert last_used() == api.clock.now()
    assert last_used() != first


def test_storage_unavailable_during_the_token_lookup_answers_503_with_retry_after() -> None:
    store = FailingTokenStore(StorageUnavailable("database is locked"))
    with running_api(tokens=store) as api:
        response = api.client.get(PING, headers=bearer("anything"))
    assert_error(response, 503, "storage_unavailable")
    assert response.headers["retry-after"] == "1"


def test_options_preflight_needs_no_token(api: Api) -> None:
    api.token()
    response = api.client.options(PING)
    assert response.status_code == 204
    assert "GET" in response.headers["allow"]
