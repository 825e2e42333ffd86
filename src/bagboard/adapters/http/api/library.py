"""``/library``: browsing by publisher, series and issue in either mode, and recent additions."""

from __future__ import annotations

from litestar import Controller, Response
from litestar.di import NamedDependency

from bagboard.adapters.http.api.browse_json import (
    FolderJson,
    IssueJson,
    ListBody,
    PublisherFacetJson,
    RecentJson,
    SeriesFacetJson,
    issues_body,
    publishers_body,
    recent_body,
    series_body,
)
from bagboard.adapters.http.api.params import (
    IssuesPublisherParam,
    ModeParam,
    PageParam,
    PageSizeParam,
    RequiredSeriesParam,
    SearchParam,
    SeriesPublisherParam,
    SortParam,
    VolumeParam,
)
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import error_statuses, ok
from bagboard.adapters.http.encoded import json_answer
from bagboard.adapters.http.etag import IfNoneMatch
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.browse import BrowseService

__all__ = ["BAD_MODE", "LibraryController"]

BAD_MODE = error_statuses({400: "`invalid_mode`: `mode` is neither `metadata` nor `filesystem`."})
BAD_SERIES_QUERY = error_statuses(
    {
        400: "`invalid_mode`; in filesystem mode `Missing 'publisher' parameter` (no "
        "`publisher`) or `invalid_path` (a `..` segment, a NUL character, or a path outside the "
        "caller's libraries); in metadata mode a filter holding a NUL character."
    }
)
BAD_ISSUES_QUERY = error_statuses(
    {
        400: "`invalid_mode`; `Missing 'series' parameter` (metadata mode) or `Missing "
        "'publisher' or 'series' parameter` (filesystem mode, which needs both); in "
        "filesystem mode `invalid_path` (a `..` segment, a NUL character, or a path outside the "
        "caller's libraries); in metadata mode a filter holding a NUL character."
    }
)

# Every query value is taken as an optional string: the service decides what a bad value means
# (a default, or its own 400), so the framework never answers a type error of its own.


class LibraryController(Controller):
    path = "/library"
    tags = ["library"]

    @get(
        "/publishers",
        sync_to_thread=False,
        responses=ok(ListBody[FolderJson | PublisherFacetJson], examples.PUBLISHERS)
        | NOT_MODIFIED
        | BAD_MODE,
    )
    def publishers(
        self,
        browse: NamedDependency[BrowseService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        mode: ModeParam = None,
        sort: SortParam = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Publishers: ComicInfo publishers, or the folders directly under each library root."""
        request = PageRequest.from_raw(page, page_size)
        listing = browse.publishers(current_user, mode=mode, sort=sort, page=request)
        return json_answer(listing, publishers_body, if_none_match)

    @get(
        "/series",
        sync_to_thread=False,
        responses=ok(ListBody[FolderJson | SeriesFacetJson], examples.SERIES)
        | NOT_MODIFIED
        | BAD_SERIES_QUERY,
    )
    def series(
        self,
        browse: NamedDependency[BrowseService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        mode: ModeParam = None,
        publisher: SeriesPublisherParam = None,
        q: SearchParam = None,
        search: SearchParam = None,
        sort: SortParam = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Series of a publisher (a folder name or path in filesystem mode, where
        ``publisher`` is required); ``q`` searches."""
        listing = browse.series(
            current_user,
            mode=mode,
            publisher=publisher,
            query=q or search,
            sort=sort,
            page=PageRequest.from_raw(page, page_size),
        )
        return json_answer(listing, series_body, if_none_match)

    @get(
        "/issues",
        sync_to_thread=False,
        responses=ok(ListBody[IssueJson], examples.ISSUES) | NOT_MODIFIED | BAD_ISSUES_QUERY,
    )
    def issues(
        self,
        browse: NamedDependency[BrowseService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        mode: ModeParam = None,
        publisher: IssuesPublisherParam = None,
        series: RequiredSeriesParam = None,
        volume: VolumeParam = None,
        sort: SortParam = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Issues of a series (and volume), with the caller's reading progress; ``series`` is
        required, and in filesystem mode ``publisher`` too."""
        listing = browse.issues(
            current_user,
            mode=mode,
            publisher=publisher,
            series=series,
            volume=volume,
            sort=sort,
            page=PageRequest.from_raw(page, page_size),
        )
        return json_answer(listing, issues_body, if_none_match)

    @get(
        "/recent",
        sync_to_thread=False,
        responses=ok(ListBody[RecentJson], examples.RECENT) | NOT_MODIFIED,
    )
    def recent(
        self,
        browse: NamedDependency[BrowseService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Comics first indexed in the last 30 days, newest first."""
        items = browse.recent(current_user, PageRequest.from_raw(page, page_size))
        return json_answer(items, recent_body, if_none_match)
