"""The server's status for owners: version, counts, last scans, database, cache
(``ServerStatusService.status_for`` computes it and refuses anyone but an owner)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.response import Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.domain.model import User
from bagboard.services.server_status import ServerStatusService

__all__ = ["STATUS_HANDLERS", "size_text"]


def size_text(size: int) -> str:
    """A byte count as people read it: ``512 bytes``, ``1.5 MB``."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


@get("/admin/status", sync_to_thread=True, include_in_schema=False)
def status_page(
    request: Request[Any, Any, Any],
    server_status: NamedDependency[ServerStatusService],
    version: NamedDependency[str],
    current_user: NamedDependency[User],
) -> Template:
    status = server_status.status_for(current_user)
    context = {
        "title": "Server status",
        "status": status,
        "version": version,
        "database_size": None
        if status.database.size_bytes is None
        else size_text(status.database.size_bytes),
        "cache_size": size_text(status.cache_bytes),
    }
    return page("admin_status.html", request, context)


STATUS_HANDLERS = (status_page,)
