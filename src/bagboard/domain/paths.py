"""Paths below a folder: the one rule every part that shows a comic's place in its library
uses (absolute POSIX paths, as the index keeps them)."""

from __future__ import annotations

__all__ = ["below"]


def below(path: str, root: str) -> str | None:
    """``path`` relative to the folder ``root`` (``"Publisher/Series/issue.cbz"``), or None when
    it is not inside it."""
    prefix = root.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None
