"""``/progress``, ``/progress/since`` and ``/issues/read``: each user's positions and marks.

The contract's conflict rule answers 409 through the error table (``http/errors.py``); writes that
change nothing still answer 200, so a client may replay them.
"""

from __future__ import annotations

import anyio.to_thread
from litestar import Controller, MediaType, Response, delete, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import RawBody

from bagboard.adapters.http.api.browse_json import OK, OkBody, required_path
from bagboard.adapters.http.api.params import (
    ComicPathParam,
    CursorParam,
    PageParam,
    PageSizeParam,
    TsParam,
)
from bagboard.adapters.http.api.progress_json import (
    FeedBody,
    ProgressJson,
    StaleJson,
    feed_bytes,
    progress_json,
    progress_request,
    read_request,
    since_ts,
)
from bagboard.adapters.http.api.schemas import ProgressWrite, ReadMark
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.openapi import error_statuses, json_body, ok
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.services.progress import ProgressService

__all__ = ["ProgressController"]

NO_PATH = error_statuses(
    {
        400: "`Missing 'path' parameter`: no `path`, or an empty one; `invalid_input`: a NUL "
        "character in it, or more than 2048 bytes."
    }
)
BAD_WRITE = error_statuses(
    {
        400: "The body is not a JSON object with a non-empty `path` and a `page_number` "
        "(`Missing 'path' or 'page_number'`), or a number in it is not an integer "
        "(`page_number must be an integer`, ...), is negative (`... must not be negative`) or "
        "is above 2147483647 (`invalid_input`)."
    }
)
BAD_MARK = error_statuses(
    {
        400: "The body is not a JSON object with a non-empty `path` (`Missing 'path'`), or a "
        "number in it is not an integer, is negative or is above 2147483647."
    }
)
BAD_FEED = error_statuses(
    {
        400: "`ts must be an integer unix timestamp`, or a `cursor` this server did not hand "
        "out (`invalid_input`)."
    }
)


class ProgressController(Controller):
    path = "/"
    tags = ["progress"]

    @get(
        "/progress",
        sync_to_thread=False,
        media_type=MediaType.JSON,
        responses=ok(ProgressJson | None, examples.PROGRESS) | NO_PATH,
    )
    def position(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: ComicPathParam = None,
    ) -> Response[ProgressJson | None]:
        """The saved position in the comic at ``?path=``, or ``null``."""
        found = progress.position(current_user, required_path(path))
        # Litestar sends an empty body for a bare None; the contract wants the literal null.
        return Response(content=progress_json(found), media_type=MediaType.JSON)

    @put(
        "/progress",
        opt=json_body(ProgressWrite, examples.PROGRESS_WRITE),
        responses=ok(ProgressJson | None, examples.PROGRESS)
        | BAD_WRITE
        | {
            409: ResponseSpec(
                StaleJson,
                description="`stale`: a newer position is stored; `current` holds it.",
                generate_examples=False,
            )
        },
    )
    async def save(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        body: RawBody,
    ) -> ProgressJson | None:
        """Save a position: ``{path, page_number, total_pages?, time_spent?, updated_at?}``;
        with ``updated_at`` (device time, unix seconds) an older write answers 409."""
        path, change = progress_request(body)
        # A reader saves on every page turn, one write after the other: made here when it
        # need not wait (SQLite, lock free, disk fast), it saves two thread wake-ups.
        saved = progress.save_at_once(current_user, path, change)
        if saved is None:
            saved = await anyio.to_thread.run_sync(progress.save, current_user, path, change)
        return progress_json(saved)

    @delete(
        "/progress",
        sync_to_thread=True,
        status_code=200,
        responses=ok(OkBody, examples.OK) | NO_PATH,
    )
    def clear(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: ComicPathParam = None,
    ) -> OkBody:
        """Forget the position at ``?path=``; the feed reports it as deleted."""
        progress.clear(current_user, required_path(path))
        return OK

    @get(
        "/progress/since",
        sync_to_thread=False,
        responses=ok(FeedBody, examples.SINCE) | BAD_FEED,
    )
    def since(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        ts: TsParam = None,
        cursor: CursorParam = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Positions and read marks changed at or after ``?ts=``, oldest first; or, with
        ``?cursor=``, those changed after the cursor a previous page handed out."""
        request = PageRequest.from_raw(page, page_size)
        feed = progress.since(current_user, ts=since_ts(ts), cursor=cursor, page=request)
        return Response(feed_bytes(feed), media_type=MediaType.JSON)

    @post(
        "/issues/read",
        sync_to_thread=True,
        status_code=200,
        opt=json_body(ReadMark, examples.READ_MARK),
        responses=ok(OkBody, examples.OK) | BAD_MARK,
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

    @delete(
        "/issues/read",
        sync_to_thread=True,
        status_code=200,
        responses=ok(OkBody, examples.OK) | NO_PATH,
    )
    def unmark(
        self,
        progress: NamedDependency[ProgressService],
        current_user: NamedDependency[User],
        path: ComicPathParam = None,
    ) -> OkBody:
        """Remove the read mark of the comic at ``?path=``."""
        progress.unmark(current_user, required_path(path))
        return OK
