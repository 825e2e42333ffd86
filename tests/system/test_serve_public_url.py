"""``serve --public-url`` and ``--trusted-proxy``: where a real server's OPDS links point."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.system.conftest import bagboard, serving

AUTH = "/opds/v2.0/auth"


def _serve(tmp_path: Path, comics: Path, *options: str) -> Iterator[str]:
    data_dir = tmp_path / "data"
    # With a token in place the OPDS gate answers 401 rather than 503 "api disabled".
    bagboard("token", "create", data_dir=data_dir)
    log = tmp_path / "serve.log"
    library = ("--library", str(comics), "--no-watch")
    with serving(*library, *options, data_dir=data_dir, log=log, ready=AUTH) as base:
        yield base


@pytest.fixture
def public(tmp_path: Path, comics: Path) -> Iterator[str]:
    yield from _serve(tmp_path, comics, "--public-url", "https://comics.example.org/lib/")


@pytest.fixture
def proxied(tmp_path: Path, comics: Path) -> Iterator[str]:
    yield from _serve(tmp_path, comics, "--trusted-proxy", "127.0.0.1")


def test_the_public_url_starts_every_link(public: str) -> None:
    document = httpx.get(public + AUTH).json()
    assert document["id"] == "https://comics.example.org/lib/opds/v2.0/auth"
    refused = httpx.get(public + "/opds/v2.0/catalog")
    assert refused.status_code == 401
    assert refused.headers["link"].startswith("<https://comics.example.org/lib/opds/v2.0/auth>")
    # A forwarded host from an untrusted client changes nothing.
    forged = httpx.get(public + AUTH, headers={"X-Forwarded-Host": "evil.example"}).json()
    assert forged["id"] == document["id"]


def test_a_trusted_proxy_is_believed(proxied: str) -> None:
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "comics.example.org",
        "X-Forwarded-Prefix": "/bagboard",
    }
    document = httpx.get(proxied + AUTH, headers=headers).json()
    assert document["id"] == "https://comics.example.org/bagboard/opds/v2.0/auth"
    plain = httpx.get(proxied + AUTH).json()
    assert plain["id"] == proxied + AUTH
