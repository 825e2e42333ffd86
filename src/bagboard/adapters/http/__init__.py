"""The Litestar HTTP adapter serving ``/api/v1``."""

from __future__ import annotations

from bagboard.adapters.http.app import HttpServices, create_app

__all__ = ["HttpServices", "create_app"]
