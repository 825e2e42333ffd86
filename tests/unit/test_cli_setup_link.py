"""The first-run setup link in the start-up banner."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.cli.banner import setup_address, setup_notice
from bagboard.config import load_settings
from bagboard.domain.errors import InvalidInput
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


def test_several_workers_get_the_command_instead(tmp_path: Path) -> None:
    with library(tmp_path) as app:
        lines = setup_notice(app.web_sessions, app.config, workers=4, lan=[])
        assert len(lines) == 1 and "bagboard user password" in lines[0]
        assert "/setup/" not in lines[0]


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
