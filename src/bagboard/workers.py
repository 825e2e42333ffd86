"""Worker processes that end with the process that started them.

A pool worker waits on its task pipe, which other processes of the pool also hold open: when
the server is killed outright (SIGKILL, the OOM killer), nothing closes it and the workers would
wait forever. Each worker (of the archive-reading pool, and each HTTP worker of ``serve
--workers``) therefore watches its parent and exits once it is gone. This module
imports nothing heavy, since every worker imports it.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["exit_with"]

CHECK_SECONDS = 1.0


def exit_with(parent_pid: int) -> None:
    """Pool initializer: exit this process soon after ``parent_pid`` is gone."""

    def watch() -> None:
        while True:
            time.sleep(CHECK_SECONDS)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive, under another user
                continue

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
