"""HTTP Basic with a user's own name and password, on OPDS and the Komga API, through the
whole app wired on memory adapters."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from litestar.testing import TestClient

from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.config import load_settings
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary

PASSWORD = "correct horse battery"
OPDS = "/opds/v1.2/catalog"
KOMGA_ME = "/komga/api/v2/users/me"  # Komga serves users/me under v2 only


class CountingHasher(QuickHasher):
    def __init__(self) -> None:
        super().__init__()
        self.verified = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return super().verify(password_hash, password)


def basic(name: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@contextmanager
def served(
    data: Path, hasher: QuickHasher | None = None
) -> Iterator[tuple[ComicLibrary, TestClient]]:  # type: ignore[type-arg]
    overrides = {} if hasher is None else {"password_hasher": hasher}
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(data)), memory=True, workers=0, **overrides
    )
    app.accounts.add_user("alice", Role.READER)
    app.web_sessions.set_password("alice", PASSWORD)
    try:
        with TestClient(app.create_app()) as client:
            yield app, client
    finally:
        app.close()


def test_opds_takes_the_users_password(tmp_path: Path) -> None:
    with served(tmp_path) as (_, client):
        assert client.get(OPDS, headers=basic("alice", PASSWORD)).status_code == 200
        wrong = client.get(OPDS, headers=basic("alice", "not the password"))
        assert wrong.status_code == 401
        assert wrong.headers["www-authenticate"].lower().startswith("basic")
        assert client.get(OPDS, headers=basic("nobody", PASSWORD)).status_code == 401


def test_opds_still_takes_a_token_as_the_basic_password(tmp_path: Path) -> None:
    with served(tmp_path) as (app, client):
        secret = app.accounts.create_token("alice").secret
        assert client.get(OPDS, headers=basic("whoever", secret)).status_code == 200


def test_a_reader_sending_basic_on_every_page_pays_one_hash(tmp_path: Path) -> None:
    hasher = CountingHasher()
    with served(tmp_path, hasher) as (_, client):
        for _ in range(10):
            assert client.get(OPDS, headers=basic("alice", PASSWORD)).status_code == 200
        assert hasher.verified == 1


def test_repeated_wrong_passwords_are_refused_with_429_and_retry_after(tmp_path: Path) -> None:
    with served(tmp_path) as (_, client):
        for _ in range(5):
            assert client.get(OPDS, headers=basic("alice", "not the password")).status_code == 401
        refused = client.get(OPDS, headers=basic("alice", PASSWORD))
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        assert PASSWORD not in refused.text
        komga = client.get(KOMGA_ME, headers=basic("alice", PASSWORD))
        assert komga.status_code == 429 and "retry-after" in komga.headers


def test_komga_takes_the_password_and_keeps_a_session(tmp_path: Path) -> None:
    with served(tmp_path) as (app, client):
        me = client.get(KOMGA_ME, headers=basic("alice", PASSWORD))
        assert me.status_code == 200 and me.json()["email"] == "alice"
        libraries = client.get("/komga/api/v1/libraries", headers=basic("alice", PASSWORD))
        assert libraries.status_code == 200
        cookie = client.cookies.get("komga-remember-me", path="/komga")
        assert cookie and PASSWORD not in cookie
        client.cookies.clear()
        again = client.get(KOMGA_ME, headers={"Cookie": f"komga-remember-me={cookie}"})
        assert again.status_code == 200 and again.json()["email"] == "alice"
        # A new password ends the sessions the old one opened.
        app.web_sessions.set_password("alice", "a brand new password")
        app.authenticator.forget()
        client.cookies.clear()
        ended = client.get(KOMGA_ME, headers={"Cookie": f"komga-remember-me={cookie}"})
        assert ended.status_code == 401


def test_komga_refuses_a_wrong_password(tmp_path: Path) -> None:
    with served(tmp_path) as (_, client):
        wrong = client.get(KOMGA_ME, headers=basic("alice", "not the password"))
        assert wrong.status_code == 401
        assert "set-cookie" not in wrong.headers
