"""OPDS 2.0 routes: the JSON catalog, DiViNa manifests and reading progression.

The feed routes are ``feed_routes``' (the same as OPDS 1.2's, rendered as JSON), so a link
either version makes resolves in both. Feeds and manifests go out as their one media
type whatever ``Accept`` asks for: readers send odd ones, and a 406 would lose them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

import anyio.to_thread
from litestar import HttpMethod, Request, Response, route
from litestar.di import NamedDependency
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT, HTTP_409_CONFLICT
from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.api.params import IssueIdParam
from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.opds.auth_document import document_response
from bagboard.adapters.http.opds.base_url import Links
from bagboard.adapters.http.opds.catalog import Catalog
from bagboard.adapters.http.opds.feed import Feed, Group
from bagboard.adapters.http.opds.feed_routes import feed_routes
from bagboard.adapters.http.opds.media import (
    DIVINA,
    OPDS2_FEED,
    OPDS2_PUBLICATION,
    PROGRESSION,
    READIUM_PROGRESSION,
    V2_PREFIX,
)
from bagboard.adapters.http.opds.reading_routes import reading_routes
from bagboard.adapters.http.opds.responses import VARY, feed_response, kept_feed_response
from bagboard.adapters.http.opds.v2 import documents, manifest, publications
from bagboard.adapters.http.opds.v2.hrefs import encode
from bagboard.adapters.http.opds.v2.progression import (
    MAX_BODY,
    InvalidProgression,
    locator_document,
    parse_write,
    progression_document,
)
from bagboard.adapters.http.routing import get
from bagboard.domain.catalog import IndexedComic
from bagboard.domain.model import User
from bagboard.domain.progress import ReadingProgress, StaleProgress
from bagboard.services.issues import IssueService
from bagboard.services.progress import ProgressService

__all__ = [
    "FLAT",
    "LOCATOR",
    "OPDS_V2_HANDLERS",
    "authentication",
    "issue_manifest",
    "issue_publication",
    "page_count",
    "read_progression",
    "save_progression",
    "start",
]


# Handler paths are below the ``/opds`` router.
_HERE: Final = V2_PREFIX.removeprefix("/opds")
# Positions change with every page turned: never reuse one without asking.
_NO_STORE: Final = {"Cache-Control": "no-store", "Vary": VARY}


def _v2(path: str) -> str:
    return f"{_HERE}{path}"


def _feed(
    feed: Feed, links: Links, if_none_match: str | None, groups: tuple[Group, ...] = ()
) -> Response[bytes]:
    if groups:
        body = encode(documents.feed_document(feed, links, groups))
        return feed_response(body, OPDS2_FEED, if_none_match)
    return kept_feed_response(
        feed,
        ("opds2", links.base),
        lambda: encode(documents.feed_document(feed, links, ())),
        OPDS2_FEED,
        if_none_match,
    )


@get(_v2("/auth"), sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def authentication(links: NamedDependency[Links]) -> Response[bytes]:
    """The authentication document: public, as the spec requires."""
    return document_response(links)


@get([_HERE, _v2("/"), _v2("/catalog")], sync_to_thread=False)
def start(
    catalog: NamedDependency[Catalog],
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """The start feed: where to browse, and rows of what the user reads and what is new."""
    return _feed(catalog.root(), catalog.links, if_none_match, catalog.groups())


# --- one issue -----------------------------------------------------------------------------


@get(_v2("/issue/{issue_id:str}"), sync_to_thread=False)
def issue_publication(
    issues: NamedDependency[IssueService],
    current_user: NamedDependency[User],
    links: NamedDependency[Links],
    issue_id: IssueIdParam,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """One publication as feeds list it: the ``self`` of a comic that cannot be read, which
    has no manifest. Reads the index only."""
    detail = issues.detail(current_user, issue_id)
    body = encode(publications.publication(detail, links))
    return feed_response(body, OPDS2_PUBLICATION, if_none_match)


@get(_v2("/issue/{issue_id:str}/manifest"), sync_to_thread=True)
def issue_manifest(
    issues: NamedDependency[IssueService],
    current_user: NamedDependency[User],
    links: NamedDependency[Links],
    issue_id: IssueIdParam,
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    """*Blocking*: the page list is measured from the archive the first time."""
    detail = issues.detail(current_user, issue_id)
    pages = issues.page_list(detail.comic)
    body = encode(manifest.manifest(detail, pages, links))
    return feed_response(body, DIVINA, if_none_match)


def page_count(issues: IssueService, comic: IndexedComic) -> int:
    """*Blocking when the index has no count*: then the archive's page list decides."""
    return comic.page_count or len(issues.page_list(comic))


@dataclass(frozen=True, slots=True)
class _Shape:
    """One way of writing a position down: the draft's flat document or the Readium locator."""

    media_type: str
    render: Callable[[ReadingProgress, int, int, Links], dict[str, Any]]


FLAT: Final = _Shape(PROGRESSION, progression_document)
LOCATOR: Final = _Shape(READIUM_PROGRESSION, locator_document)


def _progression(
    shape: _Shape,
    progress: ReadingProgress | None,
    comic: IndexedComic,
    count: int,
    links: Links,
    status: int = HTTP_200_OK,
) -> Response[bytes]:
    if progress is None:
        return Response(b"", status_code=HTTP_204_NO_CONTENT, headers=_NO_STORE)
    body = encode(shape.render(progress, count, comic.id, links))
    return Response(body, status_code=status, media_type=shape.media_type, headers=_NO_STORE)


def _read(
    shape: _Shape,
    issues: IssueService,
    progress: ProgressService,
    user: User,
    links: Links,
    issue_id: str,
) -> Response[bytes]:
    comic = issues.comic(user, issue_id)
    position = progress.position_in(user, comic)
    count = page_count(issues, comic) if position is not None else 0
    return _progression(shape, position, comic, count, links)


def _save(
    shape: _Shape,
    issues: IssueService,
    progress: ProgressService,
    user: User,
    links: Links,
    issue_id: str,
    body: bytes,
) -> Response[bytes]:
    comic = issues.comic(user, issue_id)
    count = page_count(issues, comic)
    write = parse_write(body, count)
    try:
        stored = progress.save_in(user, comic, write.change(count))
    except StaleProgress as stale:
        # The newer position stands; the reader gets it, in the shape it asked in.
        current = stale.current
        if current is None:
            return Response(b"", status_code=HTTP_409_CONFLICT, headers=_NO_STORE)
        return _progression(shape, current, comic, count, links, HTTP_409_CONFLICT)
    return _progression(shape, stored, comic, count, links)


_PROGRESSION = _v2("/issue/{issue_id:str}/progression")
_LOCATOR = _v2("/issue/{issue_id:str}/progression/readium")


def _shape(request: Request[Any, Any, Any]) -> _Shape:
    """Which document a progression address speaks: ``…/readium`` the locator, else flat."""
    return LOCATOR if request.url.path.endswith("/readium") else FLAT


# Async, handing the read to a thread itself: on Litestar 2.25 a ``sync_to_thread`` handler
# registered at two paths answered with its wrapper's coroutine, never awaited (a 500).
@get([_PROGRESSION, _LOCATOR])
async def read_progression(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    links: NamedDependency[Links],
    issue_id: IssueIdParam,
) -> Response[bytes]:
    """The reading position in this issue, or 204 when there is none; at ``…/readium`` as a
    Readium locator document. *Blocking* when the index has no page count."""
    read = partial(_read, _shape(request), issues, progress, current_user, links, issue_id)
    return await anyio.to_thread.run_sync(read)


@route([_PROGRESSION, _LOCATOR], http_method=[HttpMethod.PUT], request_max_body_size=MAX_BODY)
async def save_progression(
    request: Request[Any, Any, Any],
    issues: NamedDependency[IssueService],
    progress: NamedDependency[ProgressService],
    current_user: NamedDependency[User],
    links: NamedDependency[Links],
    issue_id: IssueIdParam,
) -> Response[bytes]:
    """Store the position a reader reports (either body shape at either address); an older
    one than stored answers 409 with the stored document, changing nothing."""
    try:
        body = await request.body()
    except RequestEntityTooLarge as exc:
        raise InvalidProgression("The body is too large for a progression document") from exc
    shape = _shape(request)
    save = partial(_save, shape, issues, progress, current_user, links, issue_id, body)
    return await anyio.to_thread.run_sync(save)


OPDS_V2_HANDLERS: tuple[ControllerRouterHandler, ...] = (
    authentication,
    start,
    *feed_routes(_HERE, _feed),
    *reading_routes(_HERE, _feed),
    issue_publication,
    issue_manifest,
    read_progression,
    save_progression,
)
