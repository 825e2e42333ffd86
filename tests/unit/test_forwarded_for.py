"""The client behind a trusted reverse proxy: ``X-Forwarded-For``, believed from trusted peers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from bagboard.adapters.http.forwarded import client_behind
from bagboard.config import load_settings
from bagboard.domain.attempts import ADDRESS_LIMIT
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary

PROXY = "testclient"  # the peer address Litestar's test client reports
TRUSTED = frozenset({"10.0.0.1", "10.0.0.2"})


@pytest.mark.parametrize(
    ("values", "client"),
    [
        (["203.0.113.7"], "203.0.113.7"),
        (["198.51.100.1, 203.0.113.7"], "203.0.113.7"),  # the right-most hop is the proxy's
        (["203.0.113.7, 10.0.0.2"], "203.0.113.7"),  # a trusted hop is skipped
        (["203.0.113.7", "10.0.0.1"], "203.0.113.7"),  # several header lines, in order
        (["2001:db8::1"], "2001:db8::1"),
        (["10.0.0.1, 10.0.0.2"], None),  # nobody but proxies
        (["evil, 10.0.0.2"], None),  # a garbled hop: nothing to its left is believed
        (["203.0.113.7, evil"], None),
        ([""], None),
    ],
)
def test_the_client_is_the_right_most_hop_that_is_not_a_trusted_proxy(
    values: list[str], client: str | None
) -> None:
    assert client_behind(values, TRUSTED) == client


@pytest.fixture
def library(tmp_path: Path) -> Iterator[ComicLibrary]:
    settings = load_settings(data_dir=str(tmp_path), trusted_proxies=(PROXY,), environ={})
    library = ComicLibrary.from_settings(settings, memory=True)
    library.accounts.add_user("kid", Role.READER, [])
    library.web_sessions.set_password("kid", "a long enough password")
    try:
        yield library
    finally:
        library.close()


def _fail_from(client: TestClient, address: str | None, name: str) -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    answer = client.post(
        "/login", data={"name": name, "password": "wrong password"}, headers=headers
    )
    return answer.status_code


def test_sign_in_failures_count_against_the_client_behind_the_proxy(
    library: ComicLibrary,
) -> None:
    with TestClient(library.create_app()) as client:
        for n in range(ADDRESS_LIMIT.limit):
            assert _fail_from(client, "203.0.113.7", f"name{n}") == 401
        # That client is throttled; another behind the same proxy is not.
        assert _fail_from(client, "203.0.113.7", "kid") == 429
        assert _fail_from(client, "203.0.113.8", "kid") == 401


def test_an_untrusted_peer_cannot_choose_its_address(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path), environ={})
    library = ComicLibrary.from_settings(settings, memory=True)
    try:
        with TestClient(library.create_app()) as client:
            for n in range(ADDRESS_LIMIT.limit):
                assert _fail_from(client, f"203.0.113.{n}", f"name{n}") == 401
            # Every attempt counted against the peer itself, whatever the header said.
            assert _fail_from(client, "203.0.113.99", "other") == 429
    finally:
        library.close()


def test_forwarded_host_is_still_believed_from_the_trusted_proxy(library: ComicLibrary) -> None:
    token = library.accounts.create_token().secret
    with TestClient(library.create_app()) as client:
        answer = client.get(
            "/opds/v1.2/catalog",
            headers={
                "Authorization": f"Bearer {token}",
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "comics.example.org",
            },
        )
    assert answer.status_code == 200, answer.text
    assert "https://comics.example.org/opds/" in answer.text
