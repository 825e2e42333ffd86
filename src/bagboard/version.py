"""The installed version, in its own module so that every part can read it without importing
the public API (``bagboard/__init__.py``), which imports nearly everything."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__: list[str] = []

try:
    __version__ = version("bagboard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
