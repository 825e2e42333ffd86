"""``bagboard serve`` as a real process on a real port: what a newcomer does from the README."""

from __future__ import annotations

from pathlib import Path

import httpx

from bagboard import __version__
from tests.system.conftest import bagboard, first_answer


def test_the_readme_walkthrough(server: tuple[str, Path]) -> None:
    base, data_dir = server
    ping = base + "/api/v1/auth/ping"

    disabled = httpx.get(ping)
    assert disabled.status_code == 503
    assert disabled.json()["error"] == "api_disabled"
    assert httpx.get(ping, headers={"Authorization": "Bearer nonsense"}).status_code == 503

    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    ok = httpx.get(ping, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert ok.json() == {"ok": True, "version": __version__, "browse_mode": "metadata"}

    # The scheme is matched in any case (RFC 9110); a wrong token or scheme is refused.
    assert httpx.get(ping, headers={"Authorization": f"bearer {token}"}).status_code == 200
    for header in (f"Bearer {token}x", f"Basic {token}"):
        refused = httpx.get(ping, headers={"Authorization": header})
        assert refused.status_code == 401
        assert refused.json()["error"] == "unauthorized"

    unknown = httpx.get(
        base + "/api/v1/no/such/route", headers={"Authorization": f"Bearer {token}"}
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/json")
    assert unknown.json()["error"] == "not_found"

    second = bagboard("token", "create", "--name", "tablet", data_dir=data_dir).stdout.strip()
    bagboard("token", "revoke", "1", data_dir=data_dir)
    # The running server's change feed sees the command's commit: the next request is refused.
    assert httpx.get(ping, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert httpx.get(ping, headers={"Authorization": f"Bearer {second}"}).status_code == 200

    bagboard("settings", "set", "browse-mode", "filesystem", data_dir=data_dir)
    assert httpx.get(ping, headers={"X-API-Key": second}).json()["browse_mode"] == "filesystem"


def test_several_worker_processes_serve_the_same_index(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.system.conftest import free_port

    data_dir = tmp_path / "data"
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bagboard.cli", "serve", "--workers", "2", "--no-watch",
         "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "BAGBOARD_DATA_DIR": "", "BAGBOARD_DATABASE_URL": ""},
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/v1/auth/ping"
        answer = first_answer(url, process, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        for _ in range(20):  # requests spread over both processes all authenticate
            again = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
            assert again.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=15)
