"""Administration of API tokens, for owners: every token, creating one, revoking one.

A new token's secret is on the page that answers the creating form and nowhere else: the
store keeps only its hash, nothing logs it, and that page is sent with ``no-store`` so no
cache or back button brings it back. Beside it, a QR code (``qr.py``) for a phone app. The
rules (owners only; the token's user must exist) are ``AccountService``'s.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from bagboard.adapters.http.api.schemas import API_PREFIX
from bagboard.adapters.http.koreader.replies import KOREADER_PREFIX
from bagboard.adapters.http.opds.context import links_for
from bagboard.adapters.http.opds.media import V1_PREFIX, V2_PREFIX
from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.qr import phone_payload, qr_svg
from bagboard.adapters.http.web.templating import page
from bagboard.domain.model import User
from bagboard.services.accounts import AccountService

__all__ = ["ADMIN_TOKEN_HANDLERS", "NO_STORE"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
# The page with a secret on it: kept by no cache, not even the browser's history.
NO_STORE: Final = "no-store"


@get("/admin/tokens", sync_to_thread=False, include_in_schema=False)
def tokens(
    request: Request[Any, Any, Any],
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
) -> Template:
    listed = accounts.list_tokens_for(current_user)
    users = accounts.list_users_for(current_user)
    names = {user.id: user.name for user in users}
    rows = [(token, names.get(token.user_id, "?")) for token in listed]
    context = {"title": "API tokens", "rows": rows, "users": users}
    return page("admin_tokens.html", request, context)


@post("/admin/tokens", sync_to_thread=True, include_in_schema=False)
def create_token(
    request: Request[Any, Any, Any],
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    data: Form,
) -> Template:
    issued = accounts.create_token_as(current_user, data.get("user", ""), data.get("name", ""))
    links = links_for(request)
    context = {
        "title": "New API token",
        "token": issued.token,
        "user_name": data.get("user", "").strip(),
        "secret": issued.secret,
        "qr": qr_svg(phone_payload(issued.secret), title="QR code of the token"),
        "server": links.to("/"),
        "opds1": links.to(f"{V1_PREFIX}/catalog"),
        "opds2": links.to(f"{V2_PREFIX}/catalog"),
        "api": links.to(API_PREFIX),
        "koreader": links.to(KOREADER_PREFIX),
    }
    return page(
        "admin_token_created.html",
        request,
        context,
        status_code=201,
        headers={"Cache-Control": NO_STORE},
    )


@post("/admin/tokens/{token_id:int}/revoke", sync_to_thread=True, include_in_schema=False)
def revoke_token(
    accounts: NamedDependency[AccountService],
    current_user: NamedDependency[User],
    token_id: FromPath[int],
) -> Redirect:
    accounts.revoke_token_as(current_user, token_id)
    return Redirect("/admin/tokens", status_code=303)


ADMIN_TOKEN_HANDLERS = (tokens, create_token, revoke_token)
