"""``/komga/sse/v1/events`` against a real ``bagboard serve``: the first heartbeat comes at
once, a client may hang up, and an open stream ends cleanly when the server is stopped
(uvicorn waits for open responses, so a stream that never ended would hold the stop)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.system.conftest import bagboard, serving


def test_heartbeats_hang_ups_and_a_clean_stop(tmp_path: Path) -> None:
    data, comics = tmp_path / "data", tmp_path / "comics"
    comics.mkdir()
    bagboard("user", "add", "reader", data_dir=data)
    token = bagboard("token", "create", "--user", "reader", data_dir=data).stdout.strip()
    key = {"X-API-Key": token}
    log = tmp_path / "serve.log"
    with httpx.Client(timeout=30) as http:
        with serving("--no-watch", "--library", str(comics), data_dir=data, log=log,
                     ready="/komga/api/v1/libraries", headers=key) as base:  # fmt: skip
            events = f"{base}/komga/sse/v1/events"
            assert http.get(events).status_code == 401
            with http.stream("GET", events, headers=key) as hung_up:
                assert hung_up.status_code == 200
                assert hung_up.headers["content-type"].startswith("text/event-stream")
                assert next(hung_up.iter_bytes()) == b": ping\n\n"
            assert http.get(f"{base}/komga/api/v1/libraries", headers=key).status_code == 200
            held = http.stream("GET", events, headers=key)
            chunks = held.__enter__().iter_bytes()
            assert next(chunks) == b": ping\n\n"
        # Leaving ``serving`` stopped the server (SIGTERM) and saw it exit; the stream it
        # held open was ended properly, not cut.
        rest = b"".join(chunks)
        held.__exit__(None, None, None)
        assert rest.replace(b": ping\n\n", b"") == b""
    assert "Traceback" not in log.read_text(errors="replace")
