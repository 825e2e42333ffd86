"""Administration of the libraries: list, add (through a folder picker), enable or disable,
remove, and scan now, with the scan's progress as a small JSON document the page polls.

Who may is the services' rule (``LibraryService.*_for``, ``ScanJobs.*_for`` and
``ServerStatusService.libraries_for`` refuse anyone but an owner); a reader gets the 403 page.
Scans run in the background of the server (``ScanJobs``), never in a request.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

import msgspec
from litestar import Request, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import query
from bagboard.domain.model import User
from bagboard.services.libraries import LibraryService
from bagboard.services.scan_jobs import ScanJobs, ScanStatus
from bagboard.services.server_status import ServerStatusService

__all__ = ["LIBRARY_HANDLERS", "ScanJson", "scan_json"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
PathQuery = Annotated[str | None, QueryParameter(name="path")]
NoticeQuery = Annotated[str | None, QueryParameter(name="notice")]
HERE: Final = "/admin/libraries"
_NOTICES: Final = {
    "added": "Library added. Scan it to index its comics.",
    "removed": "Library removed.",
    "started": "Scan started.",
    "busy": "A scan of that library is already queued or running.",
}


class ScanJson(msgspec.Struct, kw_only=True):
    """A library's latest scan, as ``static/scan.js`` reads it."""

    state: str
    phase: str | None = None
    files: int = 0  # comic files found so far
    opened: int = 0  # of the current phase's files, read so far
    to_open: int = 0
    new: int | None = None
    changed: int | None = None
    removed: int | None = None
    unreadable: int | None = None
    error: str | None = None


def scan_json(status: ScanStatus) -> ScanJson:
    progress, report = status.progress, status.report
    return ScanJson(
        state=status.state.value,
        phase=None if progress is None else progress.phase.value,
        files=0 if progress is None else progress.files,
        opened=0 if progress is None else progress.opened,
        to_open=0 if progress is None else progress.to_open,
        new=None if report is None else report.new,
        changed=None if report is None else report.changed,
        removed=None if report is None else report.removed,
        unreadable=None if report is None else report.unreadable,
        error=status.error,
    )


@get(HERE, sync_to_thread=True, include_in_schema=False)
def libraries_page(
    request: Request[Any, Any, Any],
    server_status: NamedDependency[ServerStatusService],
    scan_jobs: NamedDependency[ScanJobs],
    current_user: NamedDependency[User],
    notice: NoticeQuery = None,
) -> Template:
    rows = [
        (view, scan_json(scan_jobs.status_for(current_user, view.library.id)))
        for view in server_status.libraries_for(current_user)
    ]
    context = {"title": "Libraries", "rows": rows, "notice": _NOTICES.get(notice or "")}
    return page("admin_libraries.html", request, context)


@get(f"{HERE}/folders", sync_to_thread=True, include_in_schema=False)
def folder_picker(
    request: Request[Any, Any, Any],
    libraries: NamedDependency[LibraryService],
    current_user: NamedDependency[User],
    path: PathQuery = None,
) -> Template:
    choice = libraries.choose_folder_for(current_user, path)
    context = {"title": "Choose a folder", "choice": choice}
    return page("admin_folders.html", request, context)


@post(HERE, sync_to_thread=True, include_in_schema=False)
def add_library(
    libraries: NamedDependency[LibraryService], current_user: NamedDependency[User], data: Form
) -> Redirect:
    libraries.add_for(current_user, data.get("path", ""), data.get("name"))
    return Redirect(HERE + query(notice="added"), status_code=303)


@post(f"{HERE}/{{library_id:int}}/enabled", sync_to_thread=True, include_in_schema=False)
def set_enabled(
    libraries: NamedDependency[LibraryService],
    current_user: NamedDependency[User],
    library_id: FromPath[int],
    data: Form,
) -> Redirect:
    libraries.set_enabled_for(current_user, library_id, data.get("on", "") == "1")
    return Redirect(HERE, status_code=303)


@get(f"{HERE}/{{library_id:int}}/remove", sync_to_thread=False, include_in_schema=False)
def confirm_removal(
    request: Request[Any, Any, Any],
    libraries: NamedDependency[LibraryService],
    current_user: NamedDependency[User],
    library_id: FromPath[int],
) -> Template:
    library = libraries.by_id_for(current_user, library_id)
    return page("admin_remove.html", request, {"title": "Remove a library", "library": library})


@post(f"{HERE}/{{library_id:int}}/remove", sync_to_thread=True, include_in_schema=False)
def remove_library(
    libraries: NamedDependency[LibraryService],
    current_user: NamedDependency[User],
    library_id: FromPath[int],
) -> Redirect:
    libraries.remove_for(current_user, library_id)
    return Redirect(HERE + query(notice="removed"), status_code=303)


@post(f"{HERE}/{{library_id:int}}/scan", sync_to_thread=True, include_in_schema=False)
def scan_now(
    scan_jobs: NamedDependency[ScanJobs],
    current_user: NamedDependency[User],
    library_id: FromPath[int],
) -> Redirect:
    started = scan_jobs.start_for(current_user, library_id)
    return Redirect(HERE + query(notice="started" if started else "busy"), status_code=303)


@get(
    "/web/api/admin/libraries/{library_id:int}/scan",
    sync_to_thread=False,
    include_in_schema=False,
    cache_control=CacheControlHeader(no_store=True),
)
def scan_progress(
    scan_jobs: NamedDependency[ScanJobs],
    current_user: NamedDependency[User],
    library_id: FromPath[int],
) -> ScanJson:
    return scan_json(scan_jobs.status_for(current_user, library_id))


LIBRARY_HANDLERS = (
    libraries_page,
    folder_picker,
    add_library,
    set_enabled,
    confirm_removal,
    remove_library,
    scan_now,
    scan_progress,
)
