"""Administration pages. So far one: the files the scans could not read, for owners.

Who may see them is ``ProblemService``'s rule (``list_for`` refuses anyone but an owner, as
``/api/v1/problems`` does); a reader gets the 403 page.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import pager
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.problems import ProblemService

__all__ = ["ADMIN_HANDLERS"]

PageNumber = Annotated[str | None, QueryParameter(name="page")]


@get("/admin/problems", sync_to_thread=False, include_in_schema=False)
def problems(
    request: Request[Any, Any, Any],
    problems: NamedDependency[ProblemService],
    current_user: NamedDependency[User],
    page_number: PageNumber = None,
) -> Template:
    listing = problems.list_for(current_user, PageRequest.from_raw(page_number, 100))
    rows = [
        (view.library.name, view.relative_path, view.problem.error, view.problem.tried_at)
        for view in listing.items
    ]
    context = {
        "title": "Unreadable files",
        "rows": rows,
        "total": listing.total,
        "pager": pager(listing),
        "here": "/admin/problems",
    }
    return page("problems.html", request, context)


ADMIN_HANDLERS = (problems,)
