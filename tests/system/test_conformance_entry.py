"""How ``bagboard conformance`` is started: the token from ``--token``, ``BAGBOARD_TOKEN`` or
standard input, and the two mistakes that stop it at once, in one line, before a page of
failures: a token the server refuses, and a base URL that already ends in ``/api/v1``.

The server is ``tests/system/test_conformance.py``'s, with its recording proxy in front."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bagboard.cli import main
from tests.system.test_conformance import Proxy, Served, served

__all__ = ["served"]  # the module-scoped server fixture, used here by name


def conformance_process(
    *args: str, stdin: str | None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "BAGBOARD_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "bagboard", "conformance", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**environment, **(env or {})},
        check=False,
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bagboard: error: "), done.stderr
    assert done.stdout == ""
    return lines[0]


def test_the_token_may_come_from_the_environment(
    served: Served, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAGBOARD_TOKEN", served.token)
    status = main(["conformance", "--base-url", served.base])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "conformance: OK" and status == 0
    assert "PASS auth.ping.ok" in lines


def test_the_token_may_be_piped_in(served: Served) -> None:
    done = conformance_process("--base-url", served.base, stdin=served.token + "\n")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert done.stdout.splitlines()[-1] == "conformance: OK"


def test_the_option_wins_over_the_environment(served: Served) -> None:
    done = conformance_process(
        "--base-url", served.base, "--token", "wrong", stdin=None,
        env={"BAGBOARD_TOKEN": served.token},
    )  # fmt: skip
    assert "refused the token" in one_line_error(done)


def test_a_wrong_token_stops_the_run_after_one_request(served: Served) -> None:
    with Proxy(served.base) as proxy:
        done = conformance_process("--base-url", proxy.base, stdin=served.token + "x\n")
    line = one_line_error(done)
    assert line.startswith("bagboard: error: the server refused the token (401 from GET ")
    assert "/api/v1/auth/ping" in line and served.token not in line
    assert proxy.methods == ["GET"]


@pytest.mark.parametrize("suffix", ["/api/v1", "/api/v1/", "/API/v1"])
def test_a_base_url_with_api_v1_is_refused_before_any_request(served: Served, suffix: str) -> None:
    with Proxy(served.base) as proxy:
        done = conformance_process(
            "--base-url", proxy.base + suffix, "--token", served.token, stdin=None
        )
    line = one_line_error(done)
    assert f"use --base-url {proxy.base}" in line and "without /api/v1" in line
    assert proxy.methods == []


def test_no_token_at_all_is_one_line(served: Served) -> None:
    line = one_line_error(conformance_process("--base-url", served.base, stdin=""))
    assert "no token" in line and "BAGBOARD_TOKEN" in line
