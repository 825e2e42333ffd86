"""A hand-wired HTTP app on memory adapters, plus a few routes that exist only in tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from litestar import Litestar, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.testing import TestClient

from bagboard.adapters.http import HttpServices, create_app
from bagboard.adapters.http.access_log import AccessLogMiddleware
from bagboard.adapters.http.routing import get
from bagboard.adapters.memory.browse import MemoryFolderBrowser, MemoryMetadataBrowser
from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.index import MemoryLibraryIndex
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.problems import MemoryProblemList
from bagboard.adapters.memory.reading import MemoryProgressStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.shelves import MemoryShelves
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.domain import errors, progress
from bagboard.domain.model import ServerSettings, User
from bagboard.ports.settings_store import SettingsStore
from bagboard.services.accounts import AccountService
from bagboard.services.auth import Authenticator
from bagboard.services.browse import BrowseService
from bagboard.services.issues import IssueService
from bagboard.services.problems import ProblemService
from bagboard.services.progress import ProgressService
from bagboard.services.renditions import RenditionService
from bagboard.services.settings import SettingsService
from bagboard.services.shelves import ShelfService
from tests.unit.issue_wiring import IssueWiring

VERSION = "9.8.7-test"


def empty_issues() -> IssueService:
    """Issue endpoints over an empty in-memory library, for apps that test other endpoints."""
    return IssueWiring().issues


def empty_renditions() -> RenditionService:
    """Images of an empty in-memory library, for apps that test other endpoints."""
    return IssueWiring().renditions


def empty_progress(clock: ManualClock) -> ProgressService:
    """Positions and marks in memory, over an empty index."""
    index = MemoryLibraryIndex()
    return ProgressService(MemoryProgressStore(index), index, MemoryLibraryStore(), clock)


def empty_browse(settings: SettingsStore, clock: ManualClock) -> BrowseService:
    """Browsing over an empty in-memory library, for apps that test other endpoints."""
    index = MemoryLibraryIndex()
    return BrowseService(
        MemoryFolderBrowser(index),
        MemoryMetadataBrowser(index),
        MemoryProgressStore(index),
        index,
        MemoryLibraryStore(),
        settings,
        clock,
    )


def empty_shelves(clock: ManualClock) -> ShelfService:
    """Shelves over an empty in-memory library, for apps that test other endpoints."""
    index = MemoryLibraryIndex()
    return ShelfService(
        MemoryFolderBrowser(index),
        MemoryProgressStore(index),
        MemoryShelves(index),
        index,
        MemoryLibraryStore(),
        clock,
    )


def empty_problems() -> ProblemService:
    """The unreadable files of an empty in-memory library, for apps that test other endpoints."""
    index = MemoryLibraryIndex()
    return ProblemService(MemoryProblemList(index), MemoryLibraryStore())


def issue_app(
    wiring: IssueWiring, clock: ManualClock, progress: ProgressService | None = None
) -> tuple[Litestar, dict[str, str]]:
    """An app serving ``wiring``'s comics (browsing and shelves empty), and the headers of a
    valid token: for tests of the issue and OPDS routes over their own wiring."""
    users, tokens, store = MemoryUserStore(), MemoryTokenStore(), MemorySettingsStore()
    settings = SettingsService(store)
    browse, shelves = empty_browse(store, clock), empty_shelves(clock)
    positions = progress or empty_progress(clock)
    app = create_app(
        HttpServices(
            authenticator=lambda: Authenticator(users, tokens, clock),
            settings=lambda: settings,
            version="1",
            browse=lambda: browse,
            shelves=lambda: shelves,
            issues=lambda: wiring.issues,
            progress=lambda: positions,
            renditions=lambda: wiring.renditions,
            problems=empty_problems,
        )
    )
    secret = AccountService(users, tokens, clock).create_token(None).secret
    return app, bearer(secret)


@get("/_test/whoami", sync_to_thread=False)
def whoami(current_user: NamedDependency[User]) -> dict[str, Any]:
    return {"id": current_user.id, "name": current_user.name}


@post("/_test/echo", sync_to_thread=False)
def echo(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    return {"keys": len(data)}


@get("/_test/number", sync_to_thread=False)
def number(n: FromQuery[int]) -> dict[str, Any]:
    return {"n": n}


@get("/_test/raise/{name:str}", sync_to_thread=False)
def raise_domain_error(name: FromPath[str]) -> None:
    # StaleProgress lives beside the progress rule that raises it, the others in errors.
    raise (getattr(errors, name, None) or getattr(progress, name))(f"{name} happened")


TEST_ROUTES = [whoami, echo, number, raise_domain_error]


class FailingSettingsStore(SettingsStore):
    """A settings store whose every read fails with the given exception."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def load(self) -> ServerSettings:
        raise self.error

    def save(self, settings: ServerSettings) -> None:
        raise self.error


class FailingTokenStore(MemoryTokenStore):
    """Tokens can be created, but looking them up fails (a locked database)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def find_by_hash(self, token_hash: str) -> None:
        raise self.error

    def exists_any(self) -> bool:
        raise self.error


@dataclass
class Api:
    client: TestClient[Any]
    users: MemoryUserStore
    tokens: MemoryTokenStore
    settings_store: SettingsStore
    clock: ManualClock
    accounts: AccountService
    settings: SettingsService

    def token(self, user_name: str | None = None) -> str:
        """Create a token (for the owner by default) and return its secret."""
        return self.accounts.create_token(user_name).secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@contextmanager
def running_api(
    *,
    settings_store: SettingsStore | None = None,
    tokens: MemoryTokenStore | None = None,
    settings_factory: Callable[[], SettingsService] | None = None,
    debug: bool = False,
    access_log: bool = False,
) -> Iterator[Api]:
    users = MemoryUserStore()
    token_store = tokens if tokens is not None else MemoryTokenStore()
    store = settings_store if settings_store is not None else MemorySettingsStore()
    clock = ManualClock()
    settings = SettingsService(store)
    browse = empty_browse(store, clock)
    shelves = empty_shelves(clock)
    progress = empty_progress(clock)
    services = HttpServices(
        authenticator=lambda: Authenticator(users, token_store, clock),
        settings=settings_factory or (lambda: settings),
        version=VERSION,
        browse=lambda: browse,
        shelves=lambda: shelves,
        issues=empty_issues,
        progress=lambda: progress,
        renditions=empty_renditions,
        problems=empty_problems,
    )
    app = create_app(services, debug=debug, extra_route_handlers=TEST_ROUTES)
    with TestClient(AccessLogMiddleware(app) if access_log else app) as client:
        yield Api(
            client=client,
            users=users,
            tokens=token_store,
            settings_store=store,
            clock=clock,
            accounts=AccountService(users, token_store, clock),
            settings=settings,
        )
