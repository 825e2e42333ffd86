"""The first-run setup link in the start-up banner."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.cli.banner import setup_address, setup_notice
from bagboard.config import load_settings
from bagboard.domain.errors import InvalidInput, Unauthorized
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary

PASSWORD = "correct horse battery"


def library(tmp_path: Path, host: str = "0.0.0.0", **extra: str) -> ComicLibrary:
    settings = load_settings(data_dir=str(tmp_path), host=host, port=8123, environ={}, **extra)
    return ComicLibrary.from_settings(settings, memory=True, workers=0)


def secret_of(lines: list[str]) -> str:
    return lines[1].rsplit("/setup/", 1)[1]


def test_the_link_is_for_this_machine_and_sets_the_owners_password(tmp_path: Path) -> None:
    with library(tmp_path) as app:
        lines = setup_notice(app.web_sessions, app.config, lan=["192.168.1.20"])
        assert lines[1].startswith("  http://127.0.0.1:8123/setup/")
        assert "only from 127.0.0.1" in lines[2] and "10 minutes" in lines[2]
        _, session = app.web_sessions.redeem_setup(secret_of(lines), "::1", PASSWORD)
        assert session.user.role is Role.OWNER
        # Set now: the next start says nothing.
        assert setup_notice(app.web_sessions, app.config, lan=[]) == []


def test_setup_from_another_address_links_to_a_network_address(tmp_path: Path) -> None:
    with library(tmp_path) as app:
        lines = setup_notice(app.web_sessions, app.config, "192.168.1.30", lan=["192.168.1.20"])
        assert lines[1].startswith("  http://192.168.1.20:8123/setup/")
        assert "only from 192.168.1.30" in lines[2]
        secret = secret_of(lines)
        for wrong in ("127.0.0.1", "192.168.1.20"):
            with pytest.raises(Exception, match="not valid"):
                app.web_sessions.redeem_setup(secret, wrong, PASSWORD)
        app.web_sessions.redeem_setup(secret, "192.168.1.30", PASSWORD)


def test_the_public_url_is_used_for_another_address(tmp_path: Path) -> None:
    with library(tmp_path, public_url="https://comics.example.org/bb/") as app:
        lines = setup_notice(app.web_sessions, app.config, "192.168.1.30", lan=[])
        assert lines[1].startswith("  https://comics.example.org/bb/setup/")


def test_a_worker_given_the_link_redeems_it_and_it_is_void_everywhere_after(
    tmp_path: Path,
) -> None:
    # ``serve --workers N``: the server prints the link, and any of its workers may answer.
    settings = load_settings(data_dir=str(tmp_path), port=8123, environ={})
    with (
        ComicLibrary.from_settings(settings, workers=0) as server,
        ComicLibrary.from_settings(settings, workers=0) as first,
        ComicLibrary.from_settings(settings, workers=0) as second,
    ):
        server.prepare_storage()
        secret = secret_of(setup_notice(server.web_sessions, settings, lan=[]))
        link = server.web_sessions.setup_link()
        assert link is not None and secret not in repr(link)  # the hash travels, not the secret
        for worker in (first, second):
            worker.web_sessions.adopt_setup_link(link)
        _, session = second.web_sessions.redeem_setup(secret, "127.0.0.1", PASSWORD)
        assert session.user.role is Role.OWNER
        for worker in (first, second, server):  # used once: refused by every process
            with pytest.raises(Unauthorized):
                worker.web_sessions.redeem_setup(secret, "127.0.0.1", "another password 1")


def test_a_setup_address_that_is_no_address_is_a_clear_error(tmp_path: Path) -> None:
    with library(tmp_path) as app, pytest.raises(InvalidInput, match="not an IP address"):
        setup_notice(app.web_sessions, app.config, "my-laptop", lan=[])


@pytest.mark.parametrize(
    ("host", "setup_from", "allowed"),
    [
        ("0.0.0.0", None, "127.0.0.1"),
        ("::", None, "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
        ("192.168.1.20", None, "192.168.1.20"),
        ("0.0.0.0", " 10.0.0.9 ", "10.0.0.9"),
    ],
)
def test_setup_address(tmp_path: Path, host: str, setup_from: str | None, allowed: str) -> None:
    settings = load_settings(data_dir=str(tmp_path), host=host, port=8123, environ={})
    assert setup_address(settings, setup_from) == allowed
