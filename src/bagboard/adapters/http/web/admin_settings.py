"""Administration of the server-wide settings: the default browse mode, for owners
(``SettingsService.current_for`` and ``set_browse_mode_for`` refuse anyone else)."""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.templating import page
from bagboard.domain.model import BrowseMode, User
from bagboard.services.settings import SettingsService

__all__ = ["SETTINGS_HANDLERS"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
HERE: Final = "/admin/settings"
_MODES: Final = (
    (BrowseMode.METADATA, "By metadata", "publishers and series from each comic's ComicInfo"),
    (BrowseMode.FILESYSTEM, "By folder", "the folders under each library, as they are on disk"),
)


@get(HERE, sync_to_thread=False, include_in_schema=False)
def settings_page(
    request: Request[Any, Any, Any],
    settings: NamedDependency[SettingsService],
    current_user: NamedDependency[User],
) -> Template:
    current = settings.current_for(current_user)
    context = {
        "title": "Settings",
        "modes": _MODES,
        "browse_mode": current.browse_mode,
        "saved": request.query_params.get("saved") == "1",
    }
    return page("admin_settings.html", request, context)


@post(HERE, sync_to_thread=True, include_in_schema=False)
def save_settings(
    settings: NamedDependency[SettingsService], current_user: NamedDependency[User], data: Form
) -> Redirect:
    settings.set_browse_mode_for(current_user, data.get("browse_mode", ""))
    return Redirect(HERE + "?saved=1", status_code=303)


SETTINGS_HANDLERS = (settings_page, save_settings)
