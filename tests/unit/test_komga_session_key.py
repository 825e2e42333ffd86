"""The ``komga-remember-me`` cookie is keyed by a server secret kept in the data folder: the
database alone cannot forge one, and a cookie outlives a restart on the same folder."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from litestar.testing import TestClient

from bagboard.adapters.filesystem.secret_key import KEY_BYTES, load_or_create_key
from bagboard.config import load_settings
from bagboard.domain.model import Role
from bagboard.domain.tokens import session_mac
from bagboard.library import ComicLibrary
from tests.unit.komga_support import basic

ME = "/komga/api/v2/users/me"


@contextmanager
def served(data: Path, *, memory: bool = False) -> Iterator[tuple[ComicLibrary, TestClient]]:  # type: ignore[type-arg]
    app = ComicLibrary.from_settings(load_settings(data_dir=str(data)), memory=memory, workers=0)
    try:
        with TestClient(app.create_app()) as client:
            yield app, client
    finally:
        app.close()


def _reader(app: ComicLibrary) -> str:
    app.accounts.add_user("reader", Role.READER, None)
    return app.accounts.create_token("reader").secret


def _cookie(client: TestClient, secret: str) -> str:  # type: ignore[type-arg]
    client.cookies.clear()
    response = client.get(ME, headers=basic("reader", secret))
    assert response.status_code == 200
    first = response.headers.get_list("set-cookie")[0]
    name, _, rest = first.partition("=")
    assert name == "komga-remember-me"
    return rest.split(";")[0]


def _me(client: TestClient, value: str) -> int:  # type: ignore[type-arg]
    client.cookies.clear()
    return client.get(ME, headers={"Cookie": f"komga-remember-me={value}"}).status_code


def test_a_cookie_forged_from_the_stored_hash_is_refused(tmp_path: Path) -> None:
    with served(tmp_path / "data") as (app, client):
        secret = _reader(app)
        token = app.accounts.list_tokens("reader")[0]
        # What someone who read the database could compute without the server's secret.
        forged = f"{token.user_id}.{token.id}.{session_mac(token.token_hash, token.id)}"
        assert _me(client, forged) == 401
        assert _me(client, app.authenticator.session_value(token)) == 200
        assert _me(client, _cookie(client, secret)) == 200


def test_a_cookie_survives_a_restart_on_the_same_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with served(data) as (app, client):
        value = _cookie(client, _reader(app))
    key = data / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == KEY_BYTES
    with served(data) as (_, client):
        assert _me(client, value) == 200
    # A new secret (the file removed) ends every session signed with the old one.
    key.unlink()
    with served(data) as (_, client):
        assert _me(client, value) == 401


def test_a_memory_library_keys_its_sessions_in_process(tmp_path: Path) -> None:
    with served(tmp_path / "data", memory=True) as (app, client):
        value = _cookie(client, _reader(app))
        assert _me(client, value) == 200
    assert not (tmp_path / "data" / "secret.key").exists()


def test_the_key_file_is_created_once_and_a_damaged_one_replaced(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secret.key"
    key = load_or_create_key(path)
    assert len(key) == KEY_BYTES and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    path.write_bytes(b"short")
    fresh = load_or_create_key(path)
    assert len(fresh) == KEY_BYTES and fresh != key and path.read_bytes() == fresh
    path.write_bytes(b"")
    assert len(load_or_create_key(path)) == KEY_BYTES
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret.key"]
