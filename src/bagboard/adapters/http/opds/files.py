"""Routes shared by both OPDS versions: the comic file, and the way in (``/opds``).

The file URL ends with the file's own name, escaped: some readers (Moon+, KOReader) name the
download after the last segment of the URL. Whatever that segment says, the id decides.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Stream

from bagboard.adapters.http.api.issue_json import comic_media_type
from bagboard.adapters.http.api.params import IssueIdParam
from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.files.download import download
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.media import V1_PREFIX
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.services.issues import IssueService

__all__ = ["OpdsFilesController"]


class OpdsFilesController(Controller):
    path = "/"
    include_in_schema = False

    @get(["/", ""], sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
    def start(self, links: NamedDependency[Links]) -> Redirect:
        """``/opds``: the catalog most readers understand, OPDS 1.2."""
        return Redirect(links.to(f"{V1_PREFIX}/catalog"), status_code=302)

    @get("/issue/{issue_id:str}/file/{filename:str}")
    async def file(
        self,
        request: Request[Any, Any, Any],
        issues: NamedDependency[IssueService],
        current_user: NamedDependency[User],
        issue_id: IssueIdParam,
        filename: Annotated[str, PathParameter(description="Any name; the id decides.")],
    ) -> Response[bytes] | Stream:
        """The comic file, as ``/api/v1/issue/<id>/download`` serves it (Range included)."""
        del filename
        source = issues.file(current_user, issue_id)
        return await download(
            request.headers, request.method, source, media_type=comic_media_type(source.comic)
        )
