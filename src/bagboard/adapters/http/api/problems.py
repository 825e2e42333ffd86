"""``/problems``: the files the scans could not read, for owners (a reader gets 403).

Paths are absolute, as ``/issue/<id>`` and the progress endpoints write them; ``library`` is
the library's name. Times are the API's UTC stamps.
"""

from __future__ import annotations

import msgspec
from litestar import Controller, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.browse_json import ListBody, envelope, stamp
from bagboard.adapters.http.api.params import PageParam, PageSizeParam
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import error_statuses, ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import Page, PageRequest
from bagboard.services.problems import ProblemService, ProblemView

__all__ = ["ProblemJson", "ProblemsController", "problems_body"]

OWNERS_ONLY = error_statuses({403: "`forbidden`: the token's user is not an owner."})


class ProblemJson(msgspec.Struct, frozen=True):
    id: int
    library: str
    path: str
    error: str
    tried_at: str


def problems_body(listing: Page[ProblemView]) -> ListBody[ProblemJson]:
    items = [
        ProblemJson(
            id=view.problem.comic_id,
            library=view.library.name,
            path=view.problem.path,
            error=view.problem.error,
            tried_at=stamp(view.problem.tried_at),
        )
        for view in listing.items
    ]
    return envelope(listing, items)


class ProblemsController(Controller):
    path = "/problems"
    tags = ["problems"]

    @get(
        "/",
        sync_to_thread=False,
        responses=ok(ListBody[ProblemJson], examples.PROBLEMS) | NOT_MODIFIED | OWNERS_ONLY,
    )
    def problems(
        self,
        problems: NamedDependency[ProblemService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Files the scans could not read, by library then path, with the reason and when the
        file was last tried (owners only)."""
        listing = problems.list_for(current_user, PageRequest.from_raw(page, page_size))
        return cached_json(problems_body(listing), if_none_match)
