"""Log lines as text or JSON, and the access log of the HTTP app."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator

import pytest

from bagboard.logs import configure
from tests.unit.http_support import bearer, running_api


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_extra_fields(restore_logging: None) -> None:
    stream = io.StringIO()
    configure("info", "json", stream)
    logging.getLogger("bagboard.scanner").info("scanned %s", "Comics", extra={"comics": 12})
    logging.getLogger("bagboard.scanner").debug("not at info level")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "info" and entry["logger"] == "bagboard.scanner"
    assert entry["message"] == "scanned Comics" and entry["comics"] == 12
    assert entry["time"].endswith("+00:00")
    assert entry["pid"] == os.getpid()  # which worker process of a server said it


def test_text_lines_end_with_the_extra_fields(restore_logging: None) -> None:
    stream = io.StringIO()
    configure("debug", "text", stream)
    logging.getLogger("bagboard.x").debug("hello", extra={"user_id": 3})
    assert stream.getvalue().rstrip().endswith("DEBUG bagboard.x: hello user_id=3")


def test_an_unknown_level_or_format_is_refused() -> None:
    with pytest.raises(ValueError):
        configure("loud", "text")
    with pytest.raises(ValueError):
        configure("info", "xml")


def test_the_access_log_has_a_line_per_request_and_never_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with running_api(access_log=True) as api:
        secret = api.token()
        owner = api.users.list()[0]
        with caplog.at_level(logging.INFO, logger="bagboard.access"):
            api.client.get("/api/v1/auth/ping?mode=x&token=hunter2", headers=bearer(secret))
            api.client.get("/api/v1/auth/ping")  # no token: 401
    records = [r for r in caplog.records if r.name == "bagboard.access"]
    assert len(records) == 2
    ok, refused = (r.__dict__ for r in records)
    assert (ok["method"], ok["status"], ok["user_id"]) == ("GET", 200, owner.id)
    assert ok["path"] == "/api/v1/auth/ping?mode=x&token=%2A%2A%2A"
    assert ok["duration_ms"] >= 0
    assert (refused["status"], refused["user_id"]) == (401, None)
    logged = " ".join(r.getMessage() + str(r.__dict__) for r in records)
    assert secret not in logged and "hunter2" not in logged


def test_no_access_log_unless_asked(caplog: pytest.LogCaptureFixture) -> None:
    with running_api() as api, caplog.at_level(logging.INFO, logger="bagboard.access"):
        api.client.get("/api/v1/auth/ping", headers=bearer(api.token()))
    assert not [r for r in caplog.records if r.name == "bagboard.access"]
