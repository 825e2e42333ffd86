"""The server's secret: random bytes kept in the data folder, created on first use.

It keys what the server signs for clients (the ``/komga`` session cookie), so that reading
the database is not enough to forge one. Created once with mode 0600 and never rewritten
while it is whole, so every process on the same data folder, and every restart, signs alike.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Final

__all__ = ["KEY_BYTES", "load_or_create_key"]

KEY_BYTES: Final = 32


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``; a new one written there when it is missing or too short (a
    damaged file costs the sessions signed with it, nothing else)."""
    try:
        key: bytes | None = path.read_bytes()
    except FileNotFoundError:
        key = None
    if key is not None and len(key) >= KEY_BYTES:
        return key[:KEY_BYTES]
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_bytes(KEY_BYTES)
    # Written whole under another name, then put in place: a reader never sees half a key.
    # ``link`` refuses to replace a file, so when two processes race the first key wins and
    # both use it; a damaged file (the only other case) is replaced.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(fresh)
            out.flush()
            os.fsync(out.fileno())
        if key is None:
            try:
                os.link(temporary, path)
            except FileExistsError:
                return load_or_create_key(path)
            except OSError:  # a file system without hard links
                temporary.replace(path)
        else:
            temporary.replace(path)
        return fresh
    finally:
        temporary.unlink(missing_ok=True)
