"""OPDS page streaming: ``/opds/v1.2/issue/<id>/pse/<pageNumber>?width=&track=``.

``pageNumber`` counts from 0, as the stream link's ``{pageNumber}`` does (PSE readers fill in
0..count-1); ``pse:lastRead`` counts from 1. The answer is always the ``image/jpeg`` the link
promises, at most ``width`` wide. PSE-only readers have no other way to report where they
are, so with ``track=1`` (which the advertised template carries) serving a page moves the
user's position on to it: forward only, since readers fetch a few pages ahead and back in any
order, and never a conflict, since the request carries no reader's clock. The page does not
wait for that write: it is noted, and written shortly after with the other pages noted for the
same comic, before anything reads the user's progress (``services/page_tracking.py``).
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from bagboard.adapters.http.api.params import IssueIdParam
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.image_answers import answer_stream
from bagboard.adapters.http.opds.media import V1_PREFIX
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.progress import Device, ProgressChange
from bagboard.services.issues import IssueService
from bagboard.services.progress import ProgressService
from bagboard.services.renditions import RenditionService

__all__ = ["PSE_DEVICE", "pse_page"]

# Who moved a position by streaming pages, as other devices are shown it.
PSE_DEVICE: Final = Device("urn:bagboard:opds-pse", "OPDS page streaming")


@get(f"{V1_PREFIX.removeprefix('/opds')}/issue/{{issue_id:str}}/pse/{{page_number:str}}")
async def pse_page(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    renditions: NamedDependency[RenditionService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    issue_id: IssueIdParam,
    page_number: FromPath[str],
    width: FromQuery[str | None] = None,
    track: FromQuery[str | None] = None,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """The page, from memory on the event loop when it can be, else from a worker thread (it
    may open the archive and encode the page: ``image_answers.py``)."""
    target, response = await answer_stream(
        issues, renditions, current_user, issue_id, page_number, width, if_none_match
    )
    if track == "1" and request.method == "GET":
        change = ProgressChange(
            page_number=target.key.page,
            total_pages=len(target.pages),
            forward_only=True,
            device=PSE_DEVICE,
        )
        # Noted, not written (the page tracker writes it shortly after): nothing waits here.
        progress.track_in(current_user, target.comic, change)
    return response
