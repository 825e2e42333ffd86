"""The strace reader the durability tests rely on, on lines as strace 6 writes them."""

from __future__ import annotations

from pathlib import Path

from tests.system.strace_support import Trace, commits

WAL = "/data/bagboard.db-wal"
# A commit frame's header: bytes 4-7 (the database's size after the commit) are not zero.
HEADER = r'"\0\0\0\n\0\0\0x7\224!\244ZM\36\324K\306\240p\317\224\244y"'
THREAD = "flags=CLONE_VM|CLONE_FS|CLONE_THREAD|CLONE_SETTLS"
TCP = "TCP:[127.0.0.1:8000->127.0.0.1:45418]"
# As strace writes them: a pid of fewer than five digits is padded with spaces.
LINES = [
    f"7617  10:11:16.100000 clone3({{{THREAD}, exit_signal=0}}, 88) = 7620",
    "7617  10:11:16.100100 vfork() = 7639",
    f"7620  10:11:16.200000 pwrite64(5<{WAL}>, {HEADER}, 24, 32) = 24",
    f'7620  10:11:16.200100 pwrite64(5<{WAL}>, "\\r\\0\\0"..., 4096, 56) = 4096',
    f"7620  10:11:16.200200 fdatasync(5<{WAL}> <unfinished ...>",
    '7617  10:11:16.200300 write(2</tmp/serve.log>, "log line\\n", 9) = 9',
    "7620  10:11:16.200900 <... fdatasync resumed>) = 0",
    f'7617  10:11:16.201000 write(18<{TCP}>, "HTTP/1.1 200 OK\\r\\n"..., 109) = 109',
]


def test_calls_threads_and_commits_are_read_back(tmp_path: Path) -> None:
    path = tmp_path / "trace"
    path.write_text("\n".join(LINES) + "\n")
    trace = Trace(path)
    names = [call.name for call in trace.calls]
    assert names == ["clone3", "vfork", "pwrite64", "pwrite64", "write", "fdatasync", "write"]
    sync = trace.calls[5]
    assert (sync.target, sync.result, sync.start, sync.end) == (WAL, 0, 4, 6)
    (commit,) = commits(trace.calls)
    assert commit.tid == 7620 and commit.data[:8] == b"\0\0\0\n\0\0\0x"
    answer = trace.calls[6]
    assert answer.target == TCP
    assert answer.data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert trace.process(7620) == trace.process(7617) == 7617  # a thread
    assert trace.process(7639) == 7639  # another process
