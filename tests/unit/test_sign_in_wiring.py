"""The sign-in service as wired: one per process, shared by the facade and the HTTP app (the
banner's setup link is redeemed by the app), and following user removal in memory."""

from __future__ import annotations

from pathlib import Path

from bagboard.config import load_settings
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary
from bagboard.web import http_services


def test_the_http_app_gets_the_facades_service(tmp_path: Path) -> None:
    with ComicLibrary.from_settings(
        load_settings(data_dir=str(tmp_path)), memory=True, workers=0
    ) as app:
        services = http_services(app.container, app.config)
        assert services.web_sessions is not None
        secret = app.web_sessions.issue_setup_link("127.0.0.1")
        cookie, session = services.web_sessions().redeem_setup(secret, "127.0.0.1", "p" * 12)
        assert app.web_sessions.session(cookie) == session


def test_removing_a_user_ends_their_sessions_in_a_wired_library(tmp_path: Path) -> None:
    with ComicLibrary.from_settings(load_settings(data_dir=str(tmp_path))) as app:
        app.accounts.add_user("boss", Role.OWNER)
        app.accounts.add_user("alice")
        app.web_sessions.set_password("alice", "p" * 12)
        cookie, _ = app.web_sessions.sign_in("alice", "p" * 12, "127.0.0.1")
        app.remove_user("alice")
        assert app.web_sessions.session(cookie) is None
        app.accounts.add_user("alice")
        assert not app.web_sessions.has_password("alice")
