"""The Litestar application factory: the only place services meet ``Provide``.

Handlers that answer from the database run on the event loop (``sync_to_thread=False``), not
in worker threads. Their queries take well under a millisecond on an indexed store, and
Python threads contend for the GIL around every row SQLite or psycopg hands back: measured
with wrk on 2 CPUs, moving them onto the loop took /auth/ping from 1,730 to 2,740 req/s and a
folder listing from 400 to 950 req/s. Work that can take long still runs in threads: decoding
images, streaming files, and every write, which on SQLite may wait seconds for a scan's commit
while the loop goes on answering reads. A server uses its other CPUs with more processes
(``bagboard serve --workers``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from litestar import HttpMethod, Litestar, Router
from litestar.datastructures import MutableScopeHeaders, State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ControllerRouterHandler, Message, Scope

from bagboard.adapters.http.api import API_CONTROLLERS, auth_controller
from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.adapters.http.auth import TokenAuthMiddleware, current_user
from bagboard.adapters.http.dependency_order import resolve_in_order
from bagboard.adapters.http.docs.openapi import OPENAPI_STATE_KEY, OpenApiSource
from bagboard.adapters.http.error_layers import single_error_layer
from bagboard.adapters.http.errors import EXCEPTION_HANDLERS
from bagboard.adapters.http.forwarded import ForwardedFor
from bagboard.adapters.http.home import about, home
from bagboard.adapters.http.komga import komga_router
from bagboard.adapters.http.komga.errors import komga_aware
from bagboard.adapters.http.koreader import koreader_aware, koreader_router
from bagboard.adapters.http.method_hooks import Hook, with_method_hooks
from bagboard.adapters.http.opds.base_url import BaseUrlPolicy
from bagboard.adapters.http.opds.context import opds_state
from bagboard.adapters.http.opds.router import opds_router
from bagboard.adapters.http.request_scope import RequestScope, ScopedApp, with_request_scope
from bagboard.adapters.http.routing import drop_head_body
from bagboard.adapters.http.web import template_config, web_routers
from bagboard.domain.readlists import ListBook, ParsedList
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.issues import IssueService
from bagboard.services.kosync import KosyncService
from bagboard.services.libraries import LibraryService
from bagboard.services.problems import ProblemService
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.renditions import RenditionService
from bagboard.services.scan.gc_pause import freeze_for_good
from bagboard.services.scan_jobs import ScanJobs
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_progress import SeriesProgressService
from bagboard.services.server_status import ServerStatusService
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService
from bagboard.services.web_sessions import WebSessionService

__all__ = ["MAX_REQUEST_BODY", "FullAllow", "HttpServices", "create_app"]

# No endpoint takes more than a small JSON object; refuse anything bigger before reading it whole.
MAX_REQUEST_BODY = 1024 * 1024

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class HttpServices:
    """Ready-made service factories, one per domain service the API uses.

    Each factory is called once per request that needs its service, so it may hand out a fresh
    object bound to a fresh unit of work. Factories must be cheap and do no I/O; they and the
    services' methods run on the event loop (see the module docstring).
    """

    authenticator: Callable[[], Authenticator]
    settings: Callable[[], SettingsService]
    version: str
    browse: Callable[[], BrowseService]
    shelves: Callable[[], ShelfService]
    issues: Callable[[], IssueService]
    progress: Callable[[], ProgressService]
    renditions: Callable[[], RenditionService]
    problems: Callable[[], ProblemService]
    # The Komga-compatible API (``/komga``); None leaves it unmounted.
    komga: Callable[[], SeriesCatalog] | None = None
    # Its read-progress writes and tracker sync (needed with ``komga``).
    series_progress: Callable[[], SeriesProgressService] | None = None
    # Where readers reach the server, for OPDS links (``config.Settings``).
    public_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    # Passwords and web sign-in sessions, for the web app's pages; None: no web sign-in
    # (the web app is not mounted and ``/`` is the public page).
    web_sessions: Callable[[], WebSessionService] | None = None
    # Users and tokens, for the web app's administration pages (with ``web_sessions``).
    accounts: Callable[[], AccountService] | None = None
    # The web app's library, scan and status administration pages (owners); each None
    # leaves the pages that need it answering 404.
    libraries: Callable[[], LibraryService] | None = None
    scan_jobs: Callable[[], ScanJobs] | None = None
    server_status: Callable[[], ServerStatusService] | None = None
    # Reading lists, story arcs and what to read next, for every protocol.
    reading_lists: Callable[[], ReadingListService] | None = None
    reading_orders: Callable[[], ReadingOrderService] | None = None
    # Reading-list files (CBL) read and written, for the protocols that take and send them:
    # the format is another adapter's (``adapters.readlists``), handed over as plain functions.
    read_list_file: Callable[[bytes], ParsedList] | None = None
    write_list_file: Callable[[str, str, Sequence[ListBook]], bytes] | None = None
    # KOReader's sync server (``/koreader``); None leaves it unmounted.
    kosync: Callable[[], KosyncService] | None = None
    # Entered around each request (``request_scope.py``); None: nothing.
    request_scope: RequestScope | None = None
    # Called when the app stops (ASGI lifespan shutdown), in order: work still to be written.
    on_shutdown: Sequence[Callable[[], None]] = ()


def _provider(factory: Callable[[], T]) -> Provide:
    # Litestar inspects a dependency's signature; a bare wrapper keeps whatever the composition
    # root passes (a bound method, a container provider) out of that inspection. Dependencies
    # are resolved one after another (``dependency_order.py``).
    def provide() -> T:
        return factory()

    return Provide(provide, sync_to_thread=False)


def _constant(value: T) -> Provide:
    return Provide(lambda: value, sync_to_thread=False, use_cache=True)


class FullAllow:
    """``before_send`` hook: an OPTIONS answer lists every method of its path.

    Litestar 2 answers OPTIONS from one route of a path, so where a path has several handlers
    (``GET /progress``, ``PUT /progress``, ``DELETE /progress``) its ``Allow`` names only some
    of them; its 405 answers already list them all. The full set per path is taken from the
    app's routes once, on the first OPTIONS request.
    """

    def __init__(self) -> None:
        self._methods: dict[str, str] | None = None

    def _allow(self, app: Litestar) -> dict[str, str]:
        if self._methods is None:
            found: dict[str, set[str]] = {}
            for route in app.routes:
                if isinstance(route, HTTPRoute):
                    found.setdefault(route.path_format, set()).update(route.methods)
            self._methods = {path: ", ".join(sorted(methods)) for path, methods in found.items()}
        return self._methods

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope.get("method") != HttpMethod.OPTIONS:
            return
        headers = MutableScopeHeaders.from_message(message)
        if "allow" not in headers:
            return
        allow = self._allow(scope["app"]).get(scope.get("path_template", ""))
        if allow is not None:
            headers["allow"] = allow


def _freeze_heap() -> None:
    """Startup hook: what exists once the app is built stays for the process's life, so the
    cyclic garbage collector stops walking it. A full collection walks every tracked object (a
    couple of hundred thousand once the app, SQLAlchemy and the container are loaded), and the
    garbage of requests sets one off every few tens of thousands of them: on ``/auth/ping``, in
    process, about 6 us a request on average, against 0.4 once frozen. ``gc.freeze`` moves
    lists, it walks nothing (no ``gc.collect`` first: an app started per test would pay it)."""
    freeze_for_good()


def create_app(
    services: HttpServices,
    *,
    debug: bool = False,
    extra_route_handlers: Sequence[ControllerRouterHandler] = (),
) -> Litestar:
    """Build the app: ``/api/v1``, ``/opds``, ``/komga`` and ``/koreader``, each behind its
    gate, and the public page at ``/`` that links to them.
    ``extra_route_handlers`` are mounted under ``/api/v1``. Wrap it in ``AccessLogMiddleware``
    for a line per request."""
    handlers = [
        auth_controller(services.settings, services.version),
        *API_CONTROLLERS,
        *extra_route_handlers,
    ]
    dependencies = {
        "current_user": Provide(current_user, sync_to_thread=False),
        "version": _constant(services.version),
        "settings": _provider(services.settings),
        "browse": _provider(services.browse),
        "shelves": _provider(services.shelves),
        "issues": _provider(services.issues),
        "progress": _provider(services.progress),
        "renditions": _provider(services.renditions),
        "problems": _provider(services.problems),
    }
    api = Router(
        path=API_PREFIX,
        route_handlers=handlers,
        middleware=[DefineMiddleware(TokenAuthMiddleware, authenticator=services.authenticator)],
    )
    routers: list[ControllerRouterHandler] = [api, opds_router(services.authenticator)]
    if services.web_sessions is not None:
        # The web app takes ``/``; the public page moves to ``/about``, linked from ``/login``.
        routers += [*web_routers(services.web_sessions), about]
    else:
        routers.append(home)
    if services.accounts is not None:
        dependencies["accounts"] = _provider(services.accounts)
    for name, factory in (
        ("libraries", services.libraries),
        ("scan_jobs", services.scan_jobs),
        ("server_status", services.server_status),
        ("reading_lists", services.reading_lists),
        ("reading_orders", services.reading_orders),
    ):
        if factory is not None:
            dependencies[name] = _provider(factory)
    if services.read_list_file is not None:
        dependencies["read_list_file"] = _constant(services.read_list_file)
    if services.write_list_file is not None:
        dependencies["write_list_file"] = _constant(services.write_list_file)
    if services.komga is not None:
        dependencies["komga"] = _provider(services.komga)
        if services.series_progress is not None:
            dependencies["series_progress"] = _provider(services.series_progress)
        routers.append(komga_router(services.authenticator))
    exception_handlers = komga_aware(EXCEPTION_HANDLERS)
    if services.kosync is not None:
        routers.append(koreader_router(services.kosync))
        exception_handlers = koreader_aware(exception_handlers)
    document = OpenApiSource(API_PREFIX, handlers, dependencies, services.version)
    policy = BaseUrlPolicy(services.public_url, frozenset(services.trusted_proxies))
    # Every handler and gate sees the client behind a trusted proxy (no layer at all when no
    # proxy is trusted). The request's scope is entered by the app itself, around everything
    # that answers it (``request_scope.py``).
    middleware = []
    if policy.trusted_proxies:
        middleware.append(DefineMiddleware(ForwardedFor, trusted=policy.trusted_proxies))
    app = ScopedApp(
        route_handlers=routers,
        dependencies=dependencies,
        exception_handlers=exception_handlers,
        middleware=middleware,
        request_max_body_size=MAX_REQUEST_BODY,
        # Logging belongs to the process that serves the app, not to the framework.
        logging_config=None,
        # No /schema routes of Litestar's own: /api/v1/docs and /api/v1/openapi.json serve the
        # document built from these same handlers (docs/openapi.py, docs/routes.py).
        openapi_config=None,
        state=State({OPENAPI_STATE_KEY: document, **opds_state(policy)}),
        template_config=template_config(),
        on_startup=[_freeze_heap],
        # Then gone again: a process that builds several apps (tests) collects as before.
        on_shutdown=[*services.on_shutdown, gc.unfreeze],
        debug=debug,
    )
    # HEAD answers lose their body, OPTIONS answers list every method of their path; no other
    # request pays for either hook (``method_hooks.py``).
    hooks: dict[str, list[Hook]] = {
        HttpMethod.HEAD: [drop_head_body],
        HttpMethod.OPTIONS: [FullAllow()],
    }
    # Behind the token gate, one layer of error handling rather than two (``error_layers.py``).
    single_error_layer(app, through=(TokenAuthMiddleware,))
    with_request_scope(app, services.request_scope)
    return resolve_in_order(with_method_hooks(app, hooks))
