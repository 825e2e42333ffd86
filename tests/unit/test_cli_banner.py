"""The start-up banner: addresses a client can use, never the wildcard, and a lookup of this
machine's network addresses that cannot fail or hang."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from bagboard.cli import banner as banner_module
from bagboard.cli.banner import banner, lan_addresses, server_urls
from bagboard.config import load_settings


def test_a_plain_host_is_shown_as_it_is(tmp_path: Path) -> None:
    config = load_settings(data_dir=str(tmp_path), host="127.0.0.1", port=8123, environ={})
    lines = banner(config, lan=["192.168.1.20"])
    assert "listening on http://127.0.0.1:8123" in lines
    assert "Web app:  http://127.0.0.1:8123/" in lines
    assert "API docs: http://127.0.0.1:8123/api/v1/docs" in lines
    assert "OPDS 1.2: http://127.0.0.1:8123/opds/v1.2/catalog" in lines
    assert "OPDS 2.0: http://127.0.0.1:8123/opds/v2.0/catalog" in lines
    assert "KOReader: http://127.0.0.1:8123/koreader (custom sync server)" in lines
    assert not any("192.168" in line for line in lines)
    assert lines[0].startswith("bagboard ") and f"data folder: {tmp_path}" in lines[0]


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_every_address_lists_this_machine_and_its_network_addresses(
    tmp_path: Path, host: str
) -> None:
    config = load_settings(data_dir=str(tmp_path), host=host, port=8123, environ={})
    lines = banner(config, lan=["192.168.1.20", "10.0.0.7"])
    text = "\n".join(lines)
    assert "0.0.0.0" not in text and "[::]" not in text
    assert "listening on http://127.0.0.1:8123 (this machine)" in lines
    assert "  on the local network: http://192.168.1.20:8123" in lines
    assert "  on the local network: http://10.0.0.7:8123" in lines
    # The start pages at an address another device can use.
    assert "OPDS 1.2: http://10.0.0.7:8123/opds/v1.2/catalog" in lines
    assert "Web app:  http://10.0.0.7:8123/" in lines
    assert server_urls(config, lan=[]) == ["http://127.0.0.1:8123"]


def test_a_public_url_is_where_the_start_pages_point(tmp_path: Path) -> None:
    config = load_settings(
        data_dir=str(tmp_path),
        host="0.0.0.0",
        public_url="https://comics.example.org/bb/",
        environ={},
    )
    lines = banner(config, lan=["192.168.1.20"])
    assert "readers reach it at https://comics.example.org/bb" in lines
    assert "Web app:  https://comics.example.org/bb/" in lines
    assert "API docs: https://comics.example.org/bb/api/v1/docs" in lines
    assert "OPDS 2.0: https://comics.example.org/bb/opds/v2.0/catalog" in lines
    assert "KOReader: https://comics.example.org/bb/koreader (custom sync server)" in lines


def test_an_ipv6_host_is_bracketed(tmp_path: Path) -> None:
    config = load_settings(data_dir=str(tmp_path), host="::1", port=8123, environ={})
    assert server_urls(config) == ["http://[::1]:8123"]


def test_the_network_addresses_are_usable_ipv4_addresses() -> None:
    found = lan_addresses()
    assert len(found) == len(set(found))
    for raw in found:
        address = ipaddress.ip_address(raw)
        assert address.version == 4 and not address.is_loopback and not address.is_unspecified


def test_the_lookup_survives_a_machine_without_a_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError("network is unreachable")

    class NoSocket:
        def __init__(self, *args: object) -> None:
            raise OSError("no sockets here")

    monkeypatch.setattr(socket, "gethostname", refuse)
    monkeypatch.setattr(socket, "socket", NoSocket)
    assert lan_addresses() == []


def test_the_lookup_gives_up_on_a_resolver_that_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    release, finished = threading.Event(), threading.Event()

    def hang(*args: object, **kwargs: object) -> object:
        release.wait(60)
        finished.set()
        raise OSError("gave up")

    monkeypatch.setattr(socket, "getaddrinfo", hang)
    monkeypatch.setattr(banner_module, "LOOKUP_SECONDS", 0.2)
    try:
        found = lan_addresses()  # what the UDP probe found, without waiting for the resolver
        assert not finished.is_set()
        assert all(ipaddress.ip_address(a).version == 4 for a in found)
    finally:
        release.set()


def test_loopback_and_link_local_answers_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = ["127.0.1.1", "169.254.3.4", "192.168.7.9", "0.0.0.0", "192.168.7.9"]

    def resolve(*args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in answers]

    class NoSocket:
        def __init__(self, *args: object) -> None:
            raise OSError("no sockets here")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "socket", NoSocket)
    assert lan_addresses() == ["192.168.7.9"]
