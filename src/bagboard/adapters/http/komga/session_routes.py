"""Who is calling and what they may browse: ``users/me``, the libraries, logout, and the
public client settings KMReader probes before login."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY
from bagboard.adapters.http.komga.auth import expired_cookies
from bagboard.adapters.http.komga.wire import LibraryDto, UserDto
from bagboard.domain.model import Library, User
from bagboard.services.series_catalog import SeriesCatalog

__all__ = ["SESSION_HANDLERS"]

# Never ADMIN: Komelia and KMReader then hide the screens bagboard does not serve.
ROLES = ["USER", "FILE_DOWNLOAD", "PAGE_STREAMING"]


def library_dto(library: Library) -> LibraryDto:
    return LibraryDto(id=str(library.id), name=library.name)


@get("/api/v1/client-settings/global/list", sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def client_settings() -> dict[str, Any]:
    return {}


@post("/api/logout", status_code=204, sync_to_thread=False, opt={PUBLIC_OPT_KEY: True})
def logout() -> Response[None]:
    """Ends the session on this client (the token, and other clients' sessions, live on)."""
    return Response(content=None, status_code=204, cookies=expired_cookies())


@get("/api/v2/users/me", sync_to_thread=False)
def me(current_user: NamedDependency[User], komga: NamedDependency[SeriesCatalog]) -> UserDto:
    visible = komga.libraries(current_user)
    return UserDto(
        id=str(current_user.id),
        email=current_user.name,
        roles=list(ROLES),
        shared_all_libraries=current_user.library_ids is None,
        shared_libraries_ids=[str(lib.id) for lib in visible],
    )


@get("/api/v1/libraries", sync_to_thread=False)
def libraries(
    current_user: NamedDependency[User], komga: NamedDependency[SeriesCatalog]
) -> list[LibraryDto]:
    return [library_dto(lib) for lib in komga.libraries(current_user)]


@get("/api/v1/libraries/{library_id:str}", sync_to_thread=False)
def library(
    current_user: NamedDependency[User],
    komga: NamedDependency[SeriesCatalog],
    library_id: FromPath[str],
) -> LibraryDto:
    return library_dto(komga.library(current_user, library_id))


SESSION_HANDLERS = [client_settings, logout, me, libraries, library]
