"""The five kosync routes (research note §1, §4): thin, as every controller here.

Signing in runs in a worker thread (``kosync_user``): a user-name sign-in verifies a
memory-hard hash when it is not remembered. A write runs in a thread too, as every write does
(on SQLite it may wait for a scan's commit); the reads after sign-in run on the loop.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RawBody

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.koreader.errors import REGISTRATION_DISABLED, failure_response
from bagboard.adapters.http.koreader.replies import reply
from bagboard.adapters.http.koreader.wire import checked_document, parse_update
from bagboard.domain.model import User
from bagboard.services.kosync import KosyncService

__all__ = ["KOREADER_HANDLERS", "kosync_user"]


def kosync_user(request: Request[Any, Any, Any], kosync: NamedDependency[KosyncService]) -> User:
    """The caller named by ``x-auth-user`` and ``x-auth-key`` (``KosyncService.sign_in``),
    also put where the access log looks for it."""
    client = request.client
    user = kosync.sign_in(
        request.headers.get("x-auth-user"),
        request.headers.get("x-auth-key"),
        client.host if client is not None else None,
    )
    request.scope["user"] = user
    return user


# Both public, as on the reference server: neither reads the credentials.
@post("/users/create", status_code=402, sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def create_user() -> Response[bytes]:
    """Accounts are made with bagboard's own tools, never over kosync."""
    return failure_response(REGISTRATION_DISABLED)


@get("/users/auth", sync_to_thread=False)
def authorize(kosync_user: NamedDependency[User]) -> Response[bytes]:
    del kosync_user
    return reply({"authorized": "OK"})


@put("/syncs/progress", sync_to_thread=True)
def push_progress(
    kosync: NamedDependency[KosyncService], kosync_user: NamedDependency[User], body: RawBody
) -> Response[bytes]:
    update = parse_update(body)
    timestamp = kosync.push(
        kosync_user,
        update.document,
        update.progress,
        update.percentage,
        update.device,
        update.device_id,
    )
    return reply({"document": update.document, "timestamp": timestamp})


@get("/syncs/progress/{document:str}", sync_to_thread=False)
def pull_progress(
    kosync: NamedDependency[KosyncService],
    kosync_user: NamedDependency[User],
    document: FromPath[str],
) -> Response[bytes]:
    found = kosync.pull(kosync_user, checked_document(document))
    if found is None:
        return reply({})  # never a 404: KOReader shows that as a sync error
    return reply(
        {
            "document": found.document,
            "progress": found.progress,
            "percentage": found.percentage,
            "device": found.device,
            "device_id": found.device_id,
            "timestamp": int(found.updated_at.timestamp()),
        }
    )


@get("/healthcheck", sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def healthcheck() -> Response[bytes]:
    return reply({"state": "OK"})


KOREADER_HANDLERS = [create_user, authorize, push_progress, pull_progress, healthcheck]
