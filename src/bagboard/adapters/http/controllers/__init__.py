"""One controller per resource, all mounted under ``/api/v1`` behind the token gate."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.controllers.auth import AuthController
from bagboard.adapters.http.controllers.docs import DocsController
from bagboard.adapters.http.controllers.issues import IssueController
from bagboard.adapters.http.controllers.library import LibraryController
from bagboard.adapters.http.controllers.progress import ProgressController
from bagboard.adapters.http.controllers.shelves import ShelvesController

API_CONTROLLERS: tuple[ControllerRouterHandler, ...] = (
    AuthController,
    DocsController,
    IssueController,
    LibraryController,
    ProgressController,
    ShelvesController,
)
