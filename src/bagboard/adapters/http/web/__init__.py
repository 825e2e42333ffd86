"""The browser web app: server-rendered pages, a small reader script, and signing in.

``web_routers`` gives the pages (behind the session gate and the CSRF guard) and the static
files; ``template_config`` the Jinja environment the app renders them with. Handlers call the
same services as ``/api/v1``, through the dependencies ``create_app`` provides.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware

from bagboard.adapters.http.web.admin_libraries import LIBRARY_HANDLERS
from bagboard.adapters.http.web.admin_pages import ADMIN_HANDLERS
from bagboard.adapters.http.web.admin_settings import SETTINGS_HANDLERS
from bagboard.adapters.http.web.admin_status import STATUS_HANDLERS
from bagboard.adapters.http.web.admin_tokens import ADMIN_TOKEN_HANDLERS
from bagboard.adapters.http.web.admin_users import ADMIN_USER_HANDLERS
from bagboard.adapters.http.web.assets import static_router
from bagboard.adapters.http.web.errors import WEB_EXCEPTION_HANDLERS
from bagboard.adapters.http.web.gate import WebSessionMiddleware, csrf_guard
from bagboard.adapters.http.web.images import IMAGE_HANDLERS
from bagboard.adapters.http.web.issue_pages import ISSUE_HANDLERS
from bagboard.adapters.http.web.list_files import LIST_FILE_HANDLERS
from bagboard.adapters.http.web.list_pages import LIST_PAGE_HANDLERS
from bagboard.adapters.http.web.pages import PAGE_HANDLERS
from bagboard.adapters.http.web.sign_in import SIGN_IN_HANDLERS
from bagboard.adapters.http.web.templating import template_config
from bagboard.services.web_sessions import WebSessionService

__all__ = ["template_config", "web_routers"]


def web_routers(sessions: Callable[[], WebSessionService]) -> list[Router]:
    pages = Router(
        path="/",
        route_handlers=[
            *SIGN_IN_HANDLERS,
            *PAGE_HANDLERS,
            *ISSUE_HANDLERS,
            *LIST_PAGE_HANDLERS,
            *LIST_FILE_HANDLERS,
            *IMAGE_HANDLERS,
            *ADMIN_HANDLERS,
            *ADMIN_USER_HANDLERS,
            *ADMIN_TOKEN_HANDLERS,
            *LIBRARY_HANDLERS,
            *SETTINGS_HANDLERS,
            *STATUS_HANDLERS,
        ],
        middleware=[DefineMiddleware(WebSessionMiddleware, sessions=sessions)],
        guards=[csrf_guard],
        exception_handlers=WEB_EXCEPTION_HANDLERS,
        dependencies={
            "web_sessions": Provide(lambda: sessions, sync_to_thread=False, use_cache=True)
        },
    )
    return [pages, static_router()]
