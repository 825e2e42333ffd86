"""``/login``, ``/logout`` and ``/setup/<secret>``: the web app's side of signing in.

``WebSessionService`` checks passwords, counts attempts and keeps sessions; these handlers
only carry the form to it and the session secret back, in the cookie ``gate`` names. Password
hashing is slow on purpose, so the posts run in worker threads.

Unlike the API's controllers, these catch the sign-in errors themselves: a refused form is
answered with the same form again, its message beside the fields, which only the handler that
drew the form knows how to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.opds.media import V1_PREFIX, V2_PREFIX
from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.gate import (
    SESSION_COOKIE,
    end_session_cookie,
    safe_next,
    session_of,
    start_session_cookie,
)
from bagboard.adapters.http.web.templating import page
from bagboard.domain.errors import InvalidInput, NotFound, TooManyAttempts, Unauthorized
from bagboard.services.web_sessions import WebSession, WebSessionService

__all__ = ["SIGN_IN_HANDLERS"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Sessions = NamedDependency[Callable[[], WebSessionService]]
PUBLIC = {PUBLIC_OPT_KEY: True}


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client is not None else ""


def _secure(request: Request[Any, Any, Any]) -> bool:
    return request.url.scheme == "https"


def _login_page(
    request: Request[Any, Any, Any], next_path: str, error: str = "", status_code: int = 200
) -> Template:
    context = {
        "next": next_path,
        "error": error,
        "docs": f"{API_PREFIX}/docs",
        "opds1": f"{V1_PREFIX}/catalog",
        "opds2": f"{V2_PREFIX}/catalog",
    }
    return page("login.html", request, context, status_code=status_code)


def _too_many(request: Request[Any, Any, Any], exc: TooManyAttempts) -> Template:
    wait = max(1, int(exc.retry_after))
    return page(
        "error.html",
        request,
        {"status": 429, "message": f"Too many attempts. Try again in {wait} seconds."},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


def _signed_in(
    request: Request[Any, Any, Any], secret: str, session: WebSession, target: str
) -> Redirect:
    response = Redirect(safe_next(target), status_code=303)
    start_session_cookie(response, secret, session, secure=_secure(request))
    return response


@get("/login", sync_to_thread=False, include_in_schema=False, opt=PUBLIC)
def login_form(
    request: Request[Any, Any, Any], web_sessions: Sessions, next: FromQuery[str | None] = None
) -> Response[Any]:
    if session_of(request, web_sessions) is not None:
        return Redirect(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next))


@post("/login", sync_to_thread=True, include_in_schema=False, opt=PUBLIC)
def login(request: Request[Any, Any, Any], web_sessions: Sessions, data: Form) -> Response[Any]:
    target = safe_next(data.get("next"))
    try:
        secret, session = web_sessions().sign_in(
            data.get("name", "").strip(), data.get("password", ""), _address(request)
        )
    except TooManyAttempts as exc:
        return _too_many(request, exc)
    except Unauthorized:
        return _login_page(request, target, "Wrong name or password.", status_code=401)
    return _signed_in(request, secret, session, target)


@post("/logout", sync_to_thread=True, include_in_schema=False)
def logout(request: Request[Any, Any, Any], web_sessions: Sessions) -> Redirect:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        web_sessions().sign_out(secret)
    response = Redirect("/login", status_code=303)
    end_session_cookie(response)
    return response


@get("/setup/{secret:str}", sync_to_thread=False, include_in_schema=False, opt=PUBLIC)
def setup_form(request: Request[Any, Any, Any], secret: FromPath[str]) -> Template:
    return page("setup.html", request, {"secret": secret, "error": ""})


@post("/setup/{secret:str}", sync_to_thread=True, include_in_schema=False, opt=PUBLIC)
def setup(
    request: Request[Any, Any, Any], web_sessions: Sessions, secret: FromPath[str], data: Form
) -> Response[Any]:
    password = data.get("password", "")

    def again(error: str, status_code: int) -> Template:
        context = {"secret": secret, "error": error}
        return page("setup.html", request, context, status_code=status_code)

    if password != data.get("confirm", ""):
        return again("The two passwords differ.", 400)
    try:
        session_secret, session = web_sessions().redeem_setup(secret, _address(request), password)
    except TooManyAttempts as exc:
        return _too_many(request, exc)
    except InvalidInput as exc:
        return again(exc.message, 400)
    except (Unauthorized, NotFound):
        return again("This setup link is no longer valid. Ask for a new one.", 404)
    return _signed_in(request, session_secret, session, "/")


SIGN_IN_HANDLERS = (login_form, login, logout, setup_form, setup)
