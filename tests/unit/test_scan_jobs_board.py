"""The processes of one server (``serve --workers N``) show each other their scans through a
scan board: a scan running in one is followed, then reported, by any other, which does not
start a second scan of it; a scan whose process died is reported as stopped."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bagboard.adapters.filesystem.scan_board import FileScanBoard
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.scan_locks import LockTable, MemoryScanLocks
from bagboard.domain.model import Role, User
from bagboard.services.scan.progress import ScanPhase, ScanProgress
from bagboard.services.scan_jobs import ScanJobs, ScanState
from bagboard.services.scan_leases import ScanLeases
from bagboard.services.scan_status import ScanStatus, decode_status, encode_status
from tests.unit.web.admin_support import HeldScanner

OWNER = User(1, "owner", Role.OWNER)


def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


class Server:
    """Two worker processes of one server: a ScanJobs each, sharing the scan locks' table,
    the libraries and the board's folder."""

    def __init__(self, folder: Path) -> None:
        table = LockTable()
        self.store = MemoryLibraryStore()
        self.store.add("a", "/lib/a")
        self.scanner = HeldScanner()
        self.one, self.two = (
            ScanJobs(
                lambda: self.scanner,
                self.store,
                ManualClock(),
                leases=ScanLeases(MemoryScanLocks(f"worker {n}", table), poll_seconds=0.01),
                board=FileScanBoard(folder),
            )
            for n in (1, 2)
        )


def test_another_worker_follows_the_scan_and_reports_how_it_ended(tmp_path: Path) -> None:
    server = Server(tmp_path / "board")
    assert server.two.status_for(OWNER, 1).state is ScanState.IDLE
    assert server.one.start_for(OWNER, 1)
    assert server.scanner.started.wait(10)
    running = server.two.status_for(OWNER, 1)
    assert running.state is ScanState.RUNNING
    assert running.progress == ScanProgress(ScanPhase.INSPECTING, 3, 7, 7, 2)
    # Asked to scan it too, the other worker says a scan is under way rather than queue one.
    assert not server.two.start_for(OWNER, 1)
    server.scanner.release.set()
    assert server.one.wait(1, 10)
    done = server.two.status_for(OWNER, 1)
    assert done.state is ScanState.DONE and done.finished_at is not None
    assert done.report is not None and done.report.new == 7
    assert done == server.one.status_for(OWNER, 1)
    assert server.scanner.scanned == [1]  # once
    # Once it has ended, either may scan it again.
    assert server.two.start_for(OWNER, 1)
    assert server.two.wait(1, 10)
    assert server.scanner.scanned == [1, 1]


def test_the_monitors_scan_in_the_server_process_is_followed_too(tmp_path: Path) -> None:
    server = Server(tmp_path / "board")
    library = server.store.get(1)
    assert library is not None
    monitor = threading.Thread(target=server.one.scan, args=(library,))
    monitor.start()
    assert server.scanner.started.wait(10)
    assert server.two.status_for(OWNER, 1).state is ScanState.RUNNING
    server.scanner.release.set()
    monitor.join(10)
    assert server.two.status_for(OWNER, 1).state is ScanState.DONE


def test_a_scan_whose_process_ended_is_reported_stopped(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    board = tmp_path / "board"
    board.mkdir()
    running = encode_status(ScanStatus(ScanState.RUNNING))
    post = {"pid": int(gone.stdout), "host": socket.gethostname(), "document": running}
    (board / "library-1.json").write_text(json.dumps(post))
    server = Server(board)
    stopped = server.one.status_for(OWNER, 1)
    assert stopped.state is ScanState.FAILED and "process running it ended" in (stopped.error or "")
    assert server.one.start_for(OWNER, 1)  # not held up by it
    server.scanner.release.set()
    assert server.one.wait(1, 10)
    assert server.two.status_for(OWNER, 1).state is ScanState.DONE


def test_a_post_that_cannot_be_read_is_no_post(tmp_path: Path) -> None:
    board = tmp_path / "board"
    board.mkdir()
    (board / "library-1.json").write_text("{not json")
    assert FileScanBoard(board).read(1) is None
    assert Server(board).two.status_for(OWNER, 1).state is ScanState.IDLE
    assert decode_status('{"state": "sleeping"}') is None


def test_a_status_reads_back_as_it_was_written() -> None:
    status = ScanStatus(
        ScanState.QUEUED,
        progress=ScanProgress(ScanPhase.WALKING, 1, 2, 0, 0),
        error="x",
        waiting_for="bagboard scan (pid 2 on host nas)",
    )
    assert decode_status(encode_status(status)) == status


def test_a_starting_server_forgets_the_posts_of_earlier_runs(tmp_path: Path) -> None:
    board = tmp_path / "board"
    board.mkdir()
    # Left by a server killed mid-scan, whose process id a live process has by now.
    running = encode_status(ScanStatus(ScanState.RUNNING))
    post = {"pid": os.getpid(), "host": socket.gethostname(), "document": running}
    (board / "library-1.json").write_text(json.dumps(post))
    server = Server(board)
    assert server.two.status_for(OWNER, 1).state is ScanState.RUNNING
    assert not server.two.start_for(OWNER, 1)
    server.one.forget_posts()
    assert server.two.status_for(OWNER, 1).state is ScanState.IDLE
    assert server.two.start_for(OWNER, 1)
    server.scanner.release.set()
    assert server.two.wait(1, 10)
