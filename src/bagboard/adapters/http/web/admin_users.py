"""Administration of users, for owners: the list, adding one, their role and libraries, their
password, and removing them.

Every rule is the services': ``AccountService``'s ``*_for`` and ``*_as`` methods (owners only,
never the last owner demoted or removed) and ``WebSessionService.set_password_as`` and
``clear_password_as``. A refusal is the error page with the service's message. Changes
redirect (303) back to a page that shows the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.gate import SESSION_COOKIE
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import query
from bagboard.domain.errors import InvalidInput
from bagboard.domain.model import Library, Role, User
from bagboard.services.accounts import AccountService
from bagboard.services.web_sessions import WebSessionService

__all__ = ["ADMIN_USER_HANDLERS", "library_choice"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Sessions = NamedDependency[Callable[[], WebSessionService]]
LIBRARY_FIELD = "library-"


def library_choice(form: Mapping[str, str]) -> list[int] | None:
    """The libraries a form grants: None for every library (``scope=all``), else the ids of
    the ticked ``library-ID`` boxes (none ticked: no library)."""
    if form.get("scope", "all") == "all":
        return None
    chosen: list[int] = []
    for key in form:
        if key.startswith(LIBRARY_FIELD):
            raw = key.removeprefix(LIBRARY_FIELD)
            if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
                raise InvalidInput("that is not a library")
            chosen.append(int(raw))
    return chosen


def _library_names(user: User, libraries: list[Library]) -> str:
    if user.library_ids is None:
        return "All"
    names = [lib.name for lib in libraries if lib.id in user.library_ids]
    return ", ".join(names) or "None"


def _edit_link(name: str) -> str:
    return "/admin/users/edit" + query(name=name)


@get("/admin/users", sync_to_thread=False, include_in_schema=False)
def users(
    request: Request[Any, Any, Any],
    accounts: NamedDependency[AccountService],
    web_sessions: Sessions,
    current_user: NamedDependency[User],
) -> Template:
    listed = accounts.list_users_for(current_user)
    libraries = accounts.libraries_for(current_user)
    sessions = web_sessions()
    rows = [
        (
            user,
            _library_names(user, libraries),
            sessions.has_password(user.name),
            _edit_link(user.name),
        )
        for user in listed
    ]
    context = {"title": "Users", "rows": rows, "libraries": libraries, "roles": list(Role)}
    return page("admin_users.html", request, context)


@post("/admin/users/add", sync_to_thread=True, include_in_schema=False)
def add_user(
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    data: Form,
) -> Redirect:
    role = Role.parse(data.get("role", ""))
    user = accounts.add_user_as(current_user, data.get("name", ""), role, library_choice(data))
    return Redirect(_edit_link(user.name), status_code=303)


@get("/admin/users/edit", sync_to_thread=False, include_in_schema=False)
def edit_user(
    request: Request[Any, Any, Any],
    accounts: NamedDependency[AccountService],
    web_sessions: Sessions,
    current_user: NamedDependency[User],
    name: FromQuery[str] = "",
) -> Template:
    user = accounts.user_for(current_user, name)
    context = {
        "title": f"User {user.name}",
        "subject": user,
        "libraries": accounts.libraries_for(current_user),
        "roles": list(Role),
        "has_password": web_sessions().has_password(user.name),
        "remove_link": "/admin/users/remove" + query(name=user.name),
    }
    return page("admin_user.html", request, context)


@post("/admin/users/update", sync_to_thread=True, include_in_schema=False)
def update_user(
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    data: Form,
) -> Redirect:
    role = Role.parse(data.get("role", ""))
    user = accounts.update_user_as(current_user, data.get("name", ""), role, library_choice(data))
    return Redirect(_edit_link(user.name), status_code=303)


@post("/admin/users/password", sync_to_thread=True, include_in_schema=False)
def set_password(
    request: Request[Any, Any, Any],
    web_sessions: Sessions,
    current_user: NamedDependency[User],
    data: Form,
) -> Redirect:
    name = data.get("name", "")
    # The service keeps this session only when it is the user's own (an owner's new password).
    keep = request.cookies.get(SESSION_COOKIE)
    web_sessions().set_password_as(current_user, name, data.get("password", ""), keep_session=keep)
    return Redirect(_edit_link(name), status_code=303)


@post("/admin/users/clear-password", sync_to_thread=True, include_in_schema=False)
def clear_password(
    web_sessions: Sessions, current_user: NamedDependency[User], data: Form
) -> Redirect:
    name = data.get("name", "")
    web_sessions().clear_password_as(current_user, name)
    return Redirect(_edit_link(name), status_code=303)


@get("/admin/users/remove", sync_to_thread=False, include_in_schema=False)
def confirm_remove(
    request: Request[Any, Any, Any],
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    name: FromQuery[str] = "",
) -> Template:
    user = accounts.user_for(current_user, name)
    context = {"title": f"Remove {user.name}?", "subject": user, "back": _edit_link(user.name)}
    return page("admin_user_remove.html", request, context)


@post("/admin/users/remove", sync_to_thread=True, include_in_schema=False)
def remove_user(
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    data: Form,
) -> Redirect:
    accounts.remove_user_as(current_user, data.get("name", ""))
    return Redirect("/admin/users", status_code=303)


ADMIN_USER_HANDLERS = (
    users,
    add_user,
    edit_user,
    update_user,
    set_password,
    clear_password,
    confirm_remove,
    remove_user,
)
