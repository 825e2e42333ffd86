"""Running a ``bagboard`` command under strace, and reading what it did to the database.

strace (``-f -yy -tt``) names each file descriptor's file or socket, so its trace shows which
writes went to SQLite's WAL, when the WAL was synced, and when the answer left on which TCP
connection. Processes are followed through ``clone``/``fork`` too: a thread shares its
parent's process, a fork starts another.

strace is required like the browser of the web tests: missing, or not allowed to trace
(``ptrace`` denied in a container), the tests fail saying so rather than skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Call", "Trace", "commits", "require_strace", "stop_traced", "strace_command"]

SYSCALLS = "fsync,fdatasync,write,writev,sendto,sendmsg,pwrite64,clone,clone3,fork,vfork"
SYNCS = frozenset({"fsync", "fdatasync"})
SENDS = frozenset({"write", "writev", "sendto", "sendmsg"})
_LINE = re.compile(r"(\d+) +(\d\d:\d\d:\d\d\.\d+) (.*)")  # pids are padded
_RESUMED = re.compile(r"<\.\.\. (\w+) resumed>(.*)")
_UNFINISHED = " <unfinished ...>"
_CALL = re.compile(r"(\w+)\((.*)\)\s+= (-?\d+|\?)(.*)")
_FD = re.compile(r"(\d+)<(.+?)>(?:,|$)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPES = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_FRAME_HEADER = 24  # bytes before each page in the WAL


def require_strace() -> str:
    """strace's path, once it has shown it can trace here; else an assertion saying why."""
    strace = shutil.which("strace")
    assert strace, "strace is missing: install it (scripts/setup.sh --dev does, with apt)"
    probe = subprocess.run(
        [strace, "-f", "-o", os.devnull, "true"], capture_output=True, text=True, timeout=30
    )
    assert probe.returncode == 0, (
        "strace cannot trace here (ptrace denied? a container needs --cap-add SYS_PTRACE or "
        f"a seccomp profile allowing ptrace): {probe.stderr.strip()}"
    )
    return strace


def strace_command(strace: str, trace: Path, command: list[str]) -> list[str]:
    """``command`` under strace, following its threads and processes, into ``trace``."""
    options = ["-f", "-yy", "-tt", "-s", "64", "-e", f"trace={SYSCALLS}", "-o", str(trace)]
    return [strace, *options, *command]


def stop_traced(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Stop the command strace (``process``) runs; strace ends with it. strace itself
    ignores SIGTERM while it writes to a file, so the signal goes to its child."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        pids = [int(pid) for pid in children.read_text().split()]
    except OSError:
        pids = []
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=timeout)


@dataclass(frozen=True, slots=True)
class Call:
    """One system call: ``start`` and ``end`` are the trace lines where it began and
    returned (the same unless another thread's call came in between)."""

    tid: int
    name: str
    target: str  # what strace says the first argument's descriptor is: a path, TCP:[a->b]...
    data: bytes  # the first string argument, as far as strace shows it
    result: int | None
    start: int
    end: int
    at: str  # wall-clock time it began

    def on_wal(self) -> bool:
        return self.target.endswith("-wal")

    def frame_header(self) -> bool:
        """The start of a WAL frame (SQLite writes its header, then its page)."""
        return self.name == "pwrite64" and self.on_wal() and len(self.data) == _FRAME_HEADER

    def commit_frame(self) -> bool:
        """A WAL frame whose header's "database size after commit" is set: a commit."""
        return self.frame_header() and int.from_bytes(self.data[4:8], "big") != 0


class Trace:
    """A strace ``-f -yy -tt`` output file, read back."""

    def __init__(self, path: Path) -> None:
        self.calls: list[Call] = []
        self._process: dict[int, int] = {}
        pending: dict[int, tuple[int, str, str]] = {}
        lines = path.read_text(errors="replace").splitlines()
        for number, line in enumerate(lines):
            match = _LINE.fullmatch(line)
            if match is None:
                continue
            tid, at, text = int(match[1]), match[2], match[3]
            self._process.setdefault(tid, tid)  # the first one seen is the command itself
            resumed = _RESUMED.match(text)
            if resumed is not None:
                if tid not in pending:
                    continue
                start, at, head = pending.pop(tid)
                self._add(tid, head + resumed[2], start, number, at)
            elif text.endswith(_UNFINISHED):
                pending[tid] = (number, at, text.removesuffix(_UNFINISHED))
            else:
                self._add(tid, text, number, number, at)

    def process(self, tid: int) -> int:
        """The process (thread group) that thread ``tid`` belongs to."""
        return self._process.get(tid, tid)

    def _add(self, tid: int, text: str, start: int, end: int, at: str) -> None:
        call = _CALL.fullmatch(text)
        if call is None:
            return
        name, args, result = call[1], call[2], call[3]
        fd = _FD.match(args)
        string = _STRING.search(args)
        value = None if result == "?" else int(result)
        self.calls.append(
            Call(
                tid=tid,
                name=name,
                target=fd[2] if fd else "",
                data=_unescape(string[1]) if string else b"",
                result=value,
                start=start,
                end=end,
                at=at,
            )
        )
        if name in ("clone", "clone3", "fork", "vfork") and value and value > 0:
            thread = "CLONE_THREAD" in args
            self._process[value] = self.process(tid) if thread else value


def commits(calls: list[Call]) -> list[Call]:
    return [call for call in calls if call.commit_frame()]


def _unescape(text: str) -> bytes:
    """The bytes of a C string as strace prints it (octal escapes, ``\\n``, ``\\"``...)."""
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\":
            out += char.encode()
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following in _ESCAPES:
            out.append(_ESCAPES[following])
            i += 2
            continue
        digits = re.match(r"[0-7]{1,3}", text[i + 1 :])
        if digits is None:  # not something strace writes; keep it as it stands
            out += b"\\"
            i += 1
            continue
        out.append(int(digits[0], 8) & 0xFF)
        i += 1 + len(digits[0])
    return bytes(out)
