"""Library roots must not overlap: a folder is in at most one library.

A library inside another one would index the same comics twice, under two ids, with two
reading positions; a scan of either would then find the other's files moved. So adding a root
inside, or around, an existing library's root is refused.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

__all__ = ["overlapping", "within"]


def within(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or lies below it (both normalised absolute paths)."""
    if path == root:
        return True
    prefix = root if root.endswith("/") else root + "/"
    return path.startswith(prefix)


def overlapping(root: str, others: Iterable[str]) -> str | None:
    """The first of ``others`` that ``root`` lies in, or that lies in ``root``; else None."""
    root = posixpath.normpath(root)
    for other in others:
        other = posixpath.normpath(other)
        if within(root, other) or within(other, root):
            return other
    return None
