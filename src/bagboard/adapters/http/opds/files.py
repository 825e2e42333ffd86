"""Routes shared by both OPDS versions: the comic file, and the way in (``/opds``).

The file URL ends with the file's own name, escaped: some readers (Moon+, KOReader) name the
download after the last segment of the URL. Whatever that segment says, the id decides.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, Final

from litestar import Controller, Request, Response
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.response import Redirect, Stream

from bagboard.adapters.http.api.issue_json import comic_media_type
from bagboard.adapters.http.api.params import IssueIdParam
from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.files.download import download
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.media import (
    OPDS_PREFIX,
    PNG,
    UNREADABLE_COVER_PATH,
    V1_PREFIX,
)
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.services.issues import IssueService

__all__ = ["UNREADABLE_COVER", "OpdsFilesController"]

# A grey 200x300 card with a cross: what a publication whose archive cannot be read shows
# instead of a cover (OPDS 2 requires an image for every publication, and its own cover
# would answer 422). Made once with Pillow; 803 bytes.
UNREADABLE_COVER: Final = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAMgAAAEsCAAAAACjkaNiAAAC6klEQVR42u3dW3LDIAyF4UR7ZJVaS/fU5zaX2tY5"
    "Es38fiTjkA+DbSSY3L9un3HEDQgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQ"
    "IECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQy5HDkJQ5chSSIklW2ySG6/9xXXMM"
    "kqLelfV+GsP1/zo/RyApGvGpuHfEcP0P52Y7RFP/w5mrHbI0zxORo9K1JBKVozTYBRKZo3b7LUt0juIDsSgROqqv"
    "KCWJ0lF+aSxIpI76a/xlidYhmFhdlIgdihniJYnaIZnqXpDIHZo5+2mJ3iEKPpyUGByqKMopicMhCwedkFgcurjW"
    "YYnHIQzQHZSYHMpI4yGJyyENmR6Q2Bza2O+fEp9DHMT+Q2J0qKPxbyVOhzyt8EZidejzIy8lXoch0fNCYnY4MlZP"
    "JW6HJfX2RGJ3eHKIDxK/43b3/I1gnnBufEXe/1aLw5aeXs0OX5599TqMCwZWq8O58mF1OqxLOFajw7sWZfU5vJA8"
    "83TZGJIHSv4DJA+W7Q7JE6U7Q/Jk+a6QvPDJjpC8+NlukDwckdgb8uBokETP9fBLoqlf2SXRNT7ckmgb52ZJdDnc"
    "kmhzmCXR5/BKotFhlUSnwymJVodREr0OnySaHTZJdDtckmh3mCTR7/BIYsBhkcSEwyGJEYdBEjMOvSSGHHJJTDnU"
    "khhziCUx59BKYtAhlcSkQymJUYdQErMOnUS1D3GJvmdgZ+i7mNVAi2j2IdbyzpIWkexDrObPFS2i2IdYXwcgaBHB"
    "PkTFeoZ6i9T3IWrWZZRbxLQU8MpzqdYi+0B2CD4AAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAA"
    "AQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIB8wPENw1Gl4PfFQmwA"
    "AAAASUVORK5CYII="
)


class OpdsFilesController(Controller):
    path = "/"
    include_in_schema = False

    @get(["/", ""], sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
    def start(self, links: NamedDependency[Links]) -> Redirect:
        """``/opds``: the catalog most readers understand, OPDS 1.2."""
        return Redirect(links.to(f"{V1_PREFIX}/catalog"), status_code=302)

    @get(
        UNREADABLE_COVER_PATH.removeprefix(OPDS_PREFIX),
        sync_to_thread=False,
        opt={PUBLIC_OPT_KEY: True},
    )
    def unreadable_cover(self) -> Response[bytes]:
        """Public: it says nothing about any library."""
        return Response(
            UNREADABLE_COVER, media_type=PNG, headers={"Cache-Control": "public, max-age=86400"}
        )

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
