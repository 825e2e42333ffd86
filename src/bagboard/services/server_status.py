"""What the status and library administration pages show, for owners."""

from __future__ import annotations

from collections.abc import Callable

from bagboard.domain.browse import Sort
from bagboard.domain.model import User
from bagboard.domain.pagination import PageRequest
from bagboard.domain.server_status import DatabaseFacts, LibraryOverview, ServerStatus
from bagboard.ports.library_index import LibraryIndex
from bagboard.ports.library_store import LibraryStore
from bagboard.ports.metadata_browser import MetadataBrowser
from bagboard.ports.rendition_cache import RenditionCache
from bagboard.ports.token_store import TokenStore
from bagboard.ports.user_store import UserStore
from bagboard.services.owners import require_owner

__all__ = ["ServerStatusService"]


class ServerStatusService:
    """Counts and facts about the running server. Each call reads the index afresh.

    ``database`` tells the database's kind and size when asked (the composition root knows
    where it lives); nothing here ever holds its address.
    """

    def __init__(
        self,
        libraries: LibraryStore,
        index: LibraryIndex,
        metadata: MetadataBrowser,
        users: UserStore,
        tokens: TokenStore,
        renditions: RenditionCache,
        database: Callable[[], DatabaseFacts],
    ) -> None:
        self._libraries = libraries
        self._index = index
        self._metadata = metadata
        self._users = users
        self._tokens = tokens
        self._renditions = renditions
        self._database = database

    def libraries_for(self, user: User) -> list[LibraryOverview]:
        """Every library, enabled or not, with its comic count and last complete scan."""
        require_owner(user, "manage libraries")
        overviews = []
        for library in self._libraries.list():
            summary = self._index.summary(library.id)
            overviews.append(
                LibraryOverview(
                    library,
                    comics=summary.comics,
                    unreadable=summary.unreadable,
                    last_scan_at=summary.last_scan_at,
                )
            )
        return overviews

    def status_for(self, user: User) -> ServerStatus:
        require_owner(user, "see the server's status")
        libraries = self.libraries_for(user)
        ids = [view.library.id for view in libraries]
        series = self._metadata.series(ids, None, None, Sort.ALPHA, PageRequest(1, 1)).total
        return ServerStatus(
            libraries=tuple(libraries),
            comics=sum(view.comics for view in libraries),
            series=series if ids else 0,
            users=len(self._users.list()),
            tokens=sum(token.is_active for token in self._tokens.list()),
            database=self._database(),
            cache_bytes=self._renditions.total_bytes(),
        )
