"""``/progress``, ``/progress/since`` and ``/issues/read``: each user's positions and marks.

The contract's conflict rule answers 409 through the error table (``http/errors.py``); writes that
change nothing still answer 200, so a client may replay them.
"""

from __future__ import annotations

from litestar import Controller, MediaType, Response, delete, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import RawBody

from bagboard.adapters.http.api.browse_json import OK, OkBody, required_path
from bagboard.adapters.http.api.params import (
    CursorParam,
    PageParam,
    PageSizeParam,
    PathParam,
    TsParam,
)
from bagboard.adapters.http.api.progress_json import (
    FeedBody,
    ProgressJson,
    StaleJson,
    feed_body,
    progress_json,
    progress_request,
    read_request,
    since_ts,
)
from bagboard.adapters.http.api.schemas import ProgressWrite, ReadMark
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.openapi import json_body, ok
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.progress import ProgressService

__all__ = ["ProgressController"]


class ProgressController(Controller):
    path = "/"
    tags = ["progress"]

    @get(
        "/progress",
        sync_to_thread=False,
        media_type=MediaType.JSON,
        responses=ok(ProgressJson | None, examples.PROGRESS),
    )
    def position(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: PathParam = None,
    ) -> Response[ProgressJson | None]:
        """The saved position in the comic at ``?path=``, or ``null``."""
        found = progress.position(current_user, required_path(path))
        # Litestar sends an empty body for a bare None; the contract wants the literal null.
        return Response(content=progress_json(found), media_type=MediaType.JSON)

    @put(
        "/progress",
        sync_to_thread=True,
        opt=json_body(ProgressWrite, examples.PROGRESS_WRITE),
        responses=ok(ProgressJson | None, examples.PROGRESS)
        | {
            409: ResponseSpec(
                StaleJson,
                description="`stale`: a newer position is stored; `current` holds it.",
                generate_examples=False,
            )
        },
    )
    def save(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        body: RawBody,
    ) -> ProgressJson | None:
        """Save a position: ``{path, page_number, total_pages?, time_spent?, updated_at?}``;
        with ``updated_at`` (device time, unix seconds) an older write answers 409."""
        path, change = progress_request(body)
        return progress_json(progress.save(current_user, path, change))

    @delete("/progress", sync_to_thread=True, status_code=200, responses=ok(OkBody, examples.OK))
    def clear(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: PathParam = None,
    ) -> OkBody:
        """Forget the position at ``?path=``; the feed reports it as deleted."""
        progress.clear(current_user, required_path(path))
        return OK

    @get("/progress/since", sync_to_thread=False, responses=ok(FeedBody, examples.SINCE))
    def since(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        ts: TsParam = None,
        cursor: CursorParam = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> FeedBody:
        """Positions and read marks changed at or after ``?ts=``, oldest first; or, with
        ``?cursor=``, those changed after the cursor a previous page handed out."""
        request = PageRequest.from_raw(page, page_size)
        feed = progress.since(current_user, ts=since_ts(ts), cursor=cursor, page=request)
        return feed_body(feed)

    @post(
        "/issues/read",
        sync_to_thread=True,
        status_code=200,
        opt=json_body(ReadMark, examples.READ_MARK),
        responses=ok(OkBody, examples.OK),
    )
    def mark_read(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        body: RawBody,
    ) -> OkBody:
        """Mark a comic read: ``{path, page_count?, time_spent?}``."""
        read = read_request(body)
        progress.mark_read(
            current_user, read.path, page_count=read.page_count, time_spent=read.time_spent
        )
        return OK

    @delete("/issues/read", sync_to_thread=True, status_code=200, responses=ok(OkBody, examples.OK))
    def unmark(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: PathParam = None,
    ) -> OkBody:
        """Remove the read mark of the comic at ``?path=``."""
        progress.unmark(current_user, required_path(path))
        return OK
