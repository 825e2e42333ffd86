"""``/library/favorites`` and ``/library/to-read``: each user's shelves, read and written.

Writes answer ``{"ok": true}`` whether or not anything changed, so a client may replay them.
"""

from __future__ import annotations

from litestar import Controller, Response, delete, post, put
from litestar.di import NamedDependency
from litestar.params import RawBody

from bagboard.adapters.http.api.browse_json import OK, ListBody, OkBody, required_path
from bagboard.adapters.http.api.params import PageParam, PageSizeParam, RequiredPathParam
from bagboard.adapters.http.api.schemas import ShelfWrite
from bagboard.adapters.http.api.shelves_json import (
    ShelfJson,
    shelf_body,
    shelf_request,
)
from bagboard.adapters.http.docs import examples
from bagboard.adapters.http.docs.answers import NOT_MODIFIED
from bagboard.adapters.http.docs.openapi import error_statuses, json_body, ok
from bagboard.adapters.http.etag import IfNoneMatch, cached_json
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.shelves import Shelf
from bagboard.services.shelves import ShelfService

__all__ = ["ShelvesController"]

NO_PATH = error_statuses(
    {
        400: "`Missing 'path' parameter`: no `path`, or an empty one; `invalid_path`: a NUL "
        "character in it, or a `..` segment."
    }
)
BAD_BODY = error_statuses(
    {
        400: "The body is not a JSON object with a non-empty string `path` (`Missing "
        "'path'`), the path holds a NUL character or a `..` segment (`invalid_path`), or "
        "`type` is neither `file` nor `folder` (`invalid_input`)."
    }
)
NOT_THERE = error_statuses(
    {404: "`not_found`: no such folder (or comic) inside the caller's libraries."}
)


class ShelvesController(Controller):
    path = "/library"
    tags = ["shelves"]

    @get(
        "/favorites",
        sync_to_thread=False,
        responses=ok(ListBody[ShelfJson], examples.FAVORITES) | NOT_MODIFIED,
    )
    def favorites(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """Favourite folders, by name."""
        listed = shelves.shelf(current_user, Shelf.FAVORITES, PageRequest.from_raw(page, page_size))
        return cached_json(shelf_body(Shelf.FAVORITES, listed), if_none_match)

    @put(
        "/favorites",
        sync_to_thread=True,
        opt=json_body(ShelfWrite, examples.FAVORITE),
        responses=ok(OkBody, examples.OK) | BAD_BODY | NOT_THERE,
    )
    def add_favorite(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        body: RawBody,
    ) -> OkBody:
        """Favourite a folder: ``{"path": "<absolute folder path>"}``."""
        shelves.add(current_user, Shelf.FAVORITES, shelf_request(body).path)
        return OK

    @delete(
        "/favorites",
        sync_to_thread=True,
        status_code=200,
        responses=ok(OkBody, examples.OK) | NO_PATH | NOT_THERE,
    )
    def remove_favorite(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        path: RequiredPathParam = None,
    ) -> OkBody:
        """Unfavourite the folder at ``?path=``."""
        shelves.remove(current_user, Shelf.FAVORITES, required_path(path))
        return OK

    @get(
        "/to-read",
        sync_to_thread=False,
        responses=ok(ListBody[ShelfJson], examples.TO_READ) | NOT_MODIFIED,
    )
    def to_read(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        if_none_match: IfNoneMatch = None,
        page: PageParam = None,
        page_size: PageSizeParam = None,
    ) -> Response[bytes]:
        """The want-to-read list: comics and folders, newest first."""
        listed = shelves.shelf(current_user, Shelf.TO_READ, PageRequest.from_raw(page, page_size))
        return cached_json(shelf_body(Shelf.TO_READ, listed), if_none_match)

    @post(
        "/to-read",
        sync_to_thread=True,
        status_code=200,
        opt=json_body(ShelfWrite, examples.WANT_TO_READ),
        responses=ok(OkBody, examples.OK) | BAD_BODY | NOT_THERE,
    )
    def add_to_read(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        body: RawBody,
    ) -> OkBody:
        """Want to read a comic or folder: ``{"path", "type"?: "file"|"folder"}``."""
        wanted = shelf_request(body)
        shelves.add(current_user, Shelf.TO_READ, wanted.path, wanted.type)
        return OK

    @delete(
        "/to-read",
        sync_to_thread=True,
        status_code=200,
        responses=ok(OkBody, examples.OK) | NO_PATH | NOT_THERE,
    )
    def remove_to_read(
        self,
        shelves: NamedDependency[ShelfService],
        current_user: NamedDependency[User],
        path: RequiredPathParam = None,
    ) -> OkBody:
        """Take the comic or folder at ``?path=`` off the list."""
        shelves.remove(current_user, Shelf.TO_READ, required_path(path))
        return OK
