"""The HTTP app of a wired container: the services the controllers reach, and the app itself.

Only ``ComicLibrary.create_app`` imports this module, so that a program using bagboard as a
library never loads the web framework.
"""

from __future__ import annotations

from litestar.types import ASGIApp

from bagboard.adapters.http.access_log import AccessLogMiddleware
from bagboard.adapters.http.app import HttpServices
from bagboard.adapters.http.app import create_app as create_http_app
from bagboard.adapters.readlists.cbl import parse_cbl, write_cbl
from bagboard.adapters.storage import shared_reads
from bagboard.bootstrap import Container
from bagboard.config import Settings
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.issues import IssueService
from bagboard.services.kosync import KosyncService
from bagboard.services.libraries import LibraryService
from bagboard.services.page_tracking import PageTracker
from bagboard.services.problems import ProblemService
from bagboard.services.progress import ProgressService
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ReadingOrderService
from bagboard.services.renditions import RenditionService
from bagboard.services.scan_jobs import ScanJobs
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_progress import SeriesProgressService
from bagboard.services.server_status import ServerStatusService
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService
from bagboard.services.web_sessions import WebSessionService
from bagboard.version import __version__

__all__ = ["create_app", "http_services"]


def http_services(container: Container, settings: Settings) -> HttpServices:
    """What the controllers are given: one function per service, and the server's address."""

    # Plain closures, not bound methods: Litestar deep-copies its handlers' dependencies,
    # and a function is copied by reference while a bound method would drag the container.
    def authenticator() -> Authenticator:
        service: Authenticator = container.authenticator()
        return service

    def settings_service() -> SettingsService:
        service: SettingsService = container.settings_service()
        return service

    def komga() -> SeriesCatalog:
        service: SeriesCatalog = container.series_catalog()
        return service

    def series_progress() -> SeriesProgressService:
        service: SeriesProgressService = container.series_progress()
        return service

    def browse() -> BrowseService:
        service: BrowseService = container.browse_service()
        return service

    def shelves() -> ShelfService:
        service: ShelfService = container.shelf_service()
        return service

    def issues() -> IssueService:
        service: IssueService = container.issue_service()
        return service

    def progress() -> ProgressService:
        service: ProgressService = container.progress_service()
        return service

    def renditions() -> RenditionService:
        service: RenditionService = container.rendition_service()
        return service

    def problems() -> ProblemService:
        service: ProblemService = container.problem_service()
        return service

    def web_sessions() -> WebSessionService:
        service: WebSessionService = container.web_sessions()
        return service

    def accounts() -> AccountService:
        # With the library list (to name and check grants) and the API gate's cache to drop,
        # so a revoked token or a changed user is refused by this process at once.
        service: AccountService = container.accounts(
            libraries=container.libraries(), on_change=container.authenticator().forget
        )
        return service

    def libraries() -> LibraryService:
        service: LibraryService = container.library_service()
        return service

    def scan_jobs() -> ScanJobs:
        service: ScanJobs = container.scan_jobs()
        return service

    def kosync() -> KosyncService:
        service: KosyncService = container.kosync_service()
        return service

    def server_status() -> ServerStatusService:
        service: ServerStatusService = container.server_status()
        return service

    def reading_lists() -> ReadingListService:
        service: ReadingListService = container.reading_list_service()
        return service

    def reading_orders() -> ReadingOrderService:
        service: ReadingOrderService = container.reading_order_service()
        return service

    def write_noted_pages() -> None:
        # Pages streamed with tracking and not yet written (services/page_tracking.py), when
        # the server stops; none were if the tracker never started.
        if container.page_tracker.initialized:
            tracker: PageTracker = container.page_tracker()
            tracker.stop()

    return HttpServices(
        authenticator=authenticator,
        settings=settings_service,
        version=__version__,
        browse=browse,
        komga=komga,
        series_progress=series_progress,
        shelves=shelves,
        issues=issues,
        progress=progress,
        renditions=renditions,
        problems=problems,
        public_url=settings.public_url,
        trusted_proxies=settings.trusted_proxies,
        web_sessions=web_sessions,
        accounts=accounts,
        libraries=libraries,
        scan_jobs=scan_jobs,
        server_status=server_status,
        kosync=kosync,
        reading_lists=reading_lists,
        reading_orders=reading_orders,
        read_list_file=parse_cbl,
        write_list_file=write_cbl,
        # On PostgreSQL a request's reads share one pooled connection (``db/loans.py``);
        # a SQLite loan costs no round trip, and nothing is entered around its requests.
        request_scope=None if settings.is_sqlite else shared_reads,
        on_shutdown=(write_noted_pages,),
    )


def create_app(
    container: Container, settings: Settings, *, debug: bool = False, access_log: bool = False
) -> ASGIApp:
    """The ASGI app; with ``access_log``, wrapped so that every request is logged, whatever
    answers it (the access log sits outside the framework's error handling)."""
    app = create_http_app(http_services(container, settings), debug=debug)
    return AccessLogMiddleware(app) if access_log else app
