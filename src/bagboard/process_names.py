"""How a process names itself to the others sharing its database (who scans, who waits)."""

from __future__ import annotations

import os
import socket

__all__ = ["DEFAULT_PROCESS_NAME", "describe_process"]

DEFAULT_PROCESS_NAME = "bagboard"


def describe_process(name: str | None = None) -> str:
    """``bagboard serve (pid 1234 on host nas)``: what the process is, its id and its
    machine's short name; never a path, an address or a credential."""
    host = socket.gethostname().split(".", 1)[0] or "unknown"
    return f"{name or DEFAULT_PROCESS_NAME} (pid {os.getpid()} on host {host})"
