"""One controller per resource, all mounted under ``/api/v1`` behind the token gate."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.api.arcs import ArcsController
from bagboard.adapters.http.api.auth import auth_controller
from bagboard.adapters.http.api.issues import IssueController
from bagboard.adapters.http.api.library import LibraryController
from bagboard.adapters.http.api.next_reading import ComicListsController, ReadingNextController
from bagboard.adapters.http.api.problems import ProblemsController
from bagboard.adapters.http.api.progress import ProgressController
from bagboard.adapters.http.api.readlist_files import ReadingListFilesController
from bagboard.adapters.http.api.readlists import ReadingListsController
from bagboard.adapters.http.api.shelves import ShelvesController
from bagboard.adapters.http.docs.routes import DocsController

__all__ = ["API_CONTROLLERS", "auth_controller"]

# With ``auth_controller``'s, which ``create_app`` binds to its services.
API_CONTROLLERS: tuple[ControllerRouterHandler, ...] = (
    DocsController,
    IssueController,
    LibraryController,
    ProblemsController,
    ProgressController,
    ShelvesController,
    # Reading lists, story arcs and what to read next: bagboard's extensions.
    ReadingListsController,
    ReadingListFilesController,
    ArcsController,
    ReadingNextController,
    ComicListsController,
)
