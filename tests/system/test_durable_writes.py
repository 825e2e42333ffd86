"""A position the server has answered 200 for is on the disk: a real ``bagboard serve``, traced
with strace, syncs SQLite's WAL after writing the commit and before the answer leaves. A scan
does not sync the WAL for each batch it commits (``adapters/storage/db/durability.py``).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.archive_factory import jpeg, write_cbz
from tests.system.conftest import bagboard, first_answer, free_port
from tests.system.strace_support import (
    SENDS,
    SYNCS,
    Call,
    Trace,
    commits,
    require_strace,
    stop_traced,
    strace_command,
)


@pytest.fixture
def comic(tmp_path: Path) -> Path:
    path = tmp_path / "comics" / "Pub" / "Series" / "Issue 001.cbz"
    path.parent.mkdir(parents=True)
    write_cbz(path, {f"p{n}.jpg": jpeg((n * 40, 10, 200)) for n in range(1, 4)})
    return path


@contextmanager
def traced_serve(strace: str, data_dir: Path, trace: Path, log: Path) -> Iterator[int]:
    """``bagboard serve`` under strace, not scanning (nothing else writes); yields its port."""
    port = free_port()
    serve = [sys.executable, "-m", "bagboard.cli", "serve", "--no-watch"]
    serve += ["--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            strace_command(strace, trace, serve),
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/auth/ping"
        first_answer(url, process, explain=lambda: log.read_text(errors="replace"))
        yield port
    finally:
        stop_traced(process)


def put_position(port: int, token: str, comic: Path, page: int) -> int:
    """One ``PUT /api/v1/progress`` on a connection of its own; the client's port."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.connect()
        assert connection.sock is not None
        client_port = int(connection.sock.getsockname()[1])
        body = json.dumps({"path": str(comic), "page_number": page})
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        connection.request("PUT", "/api/v1/progress", body, headers)
        answer = connection.getresponse()
        assert answer.status == 200, answer.read()
        assert json.loads(answer.read())["page_number"] == page
        return client_port
    finally:
        connection.close()


def answer_to(trace: Trace, client_port: int) -> Call:
    """The server's first write of an HTTP answer to the client at ``client_port``."""
    for call in trace.calls:
        to_client = call.target.endswith(f"->127.0.0.1:{client_port}]")
        if call.name in SENDS and to_client and call.data.startswith(b"HTTP/1.1 200"):
            return call
    raise AssertionError(f"no answer to 127.0.0.1:{client_port} in the trace")


def test_an_answered_position_is_synced_to_the_disk_before_the_answer(
    comic: Path, tmp_path: Path
) -> None:
    strace = require_strace()  # in the test, not a fixture: without it the test fails
    data_dir = tmp_path / "data"
    bagboard("library", "add", str(comic.parents[2]), data_dir=data_dir)
    bagboard("scan", data_dir=data_dir)
    token = bagboard("token", "create", data_dir=data_dir).stdout.strip()
    trace_file = tmp_path / "serve.strace"
    with traced_serve(strace, data_dir, trace_file, tmp_path / "serve.log") as port:
        # The first write after start-up also restarts the WAL; the second is the plain case.
        first = put_position(port, token, comic, 2)
        second = put_position(port, token, comic, 3)
    trace = Trace(trace_file)
    before = answer_to(trace, first)
    answer = answer_to(trace, second)
    server = trace.process(answer.tid)
    between = [
        call
        for call in trace.calls
        if before.end < call.start
        and call.end < answer.start
        and trace.process(call.tid) == server
        and call.on_wal()
    ]
    written = commits(between)
    assert written, "the server answered the second write without committing to the WAL"
    for commit in written:
        synced = [
            call
            for call in between
            if call.name in SYNCS and call.tid == commit.tid and call.start > commit.end
        ]
        assert synced and synced[0].result == 0, (
            f"thread {commit.tid} committed to the WAL at {commit.at} and the answer left at "
            f"{answer.at} (thread {answer.tid}) without the WAL being synced in between: "
            "a power cut could lose an answered write (is SQLite's synchronous FULL?)"
        )


def test_a_scan_does_not_sync_the_wal_for_each_batch(comic: Path, tmp_path: Path) -> None:
    strace = require_strace()
    for n in range(2, 6):  # a few comics in a few folders, so the batch has some substance
        other = comic.parent.parent / f"Series {n}" / "Issue 001.cbz"
        other.parent.mkdir()
        write_cbz(other, {"p1.jpg": jpeg((n * 40, 10, 200))})
    data_dir = tmp_path / "data"
    bagboard("library", "add", str(comic.parents[2]), data_dir=data_dir)
    trace_file = tmp_path / "scan.strace"
    scan = [sys.executable, "-m", "bagboard.cli", "scan", "--data-dir", str(data_dir)]
    ran = subprocess.run(
        strace_command(strace, trace_file, scan), capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    calls = Trace(trace_file).calls
    # Its batch, the scan record and the planner's statistics, each committed on its own.
    made = commits(calls)
    synced = [commit for commit in made if _synced_after(calls, commit)]
    # At most the last one, by the checkpoint SQLite makes when the command closes the file.
    assert len(made) >= 3 and len(synced) <= 1, (
        f"{len(synced)} of the scan's {len(made)} commits were each followed by a sync of the "
        "WAL: index writes should not wait for the disk (synchronous=NORMAL)"
    )


def _synced_after(calls: list[Call], commit: Call) -> bool:
    """Whether the thread that wrote ``commit`` synced the WAL before its next frame."""
    for call in calls:
        if call.tid != commit.tid or call.start <= commit.end or not call.on_wal():
            continue
        if call.name in SYNCS:
            return True
        if call.frame_header():
            return False
    return False
