"""``serve --public-url`` and ``--trusted-proxy``: where a real server's OPDS links point."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.system.conftest import bagboard, first_answer, free_port

AUTH = "/opds/v2.0/auth"


def _serve(tmp_path: Path, comics: Path, *options: str) -> Iterator[str]:
    # With a token in place the OPDS gate answers 401 rather than 503 "api disabled".
    bagboard("token", "create", data_dir=tmp_path / "data")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bagboard.cli",
            "serve",
            "--library",
            str(comics),
            "--data-dir",
            str(tmp_path / "data"),
            "--port",
            str(port),
            "--no-watch",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        first_answer(
            base + AUTH,
            process,
            explain=lambda: process.stderr.read().decode() if process.stderr else "",
        )
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


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
