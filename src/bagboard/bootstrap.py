"""The composition root: the one place that picks adapters and wires services.

``build()`` is used by the server, the CLI and tests alike. Nothing happens at import time; the
database engine (and its migrations) is created on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dependency_injector import containers, providers
from sqlalchemy.engine import Engine

from bagboard import __version__
from bagboard.adapters.http.app import HttpServices, create_app
from bagboard.adapters.memory.clock import SystemClock
from bagboard.adapters.memory.libraries import MemoryLibraryStore
from bagboard.adapters.memory.settings import MemorySettingsStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.storage.engine import make_engine
from bagboard.adapters.storage.libraries import SqlLibraryStore
from bagboard.adapters.storage.migrate import upgrade
from bagboard.adapters.storage.settings import SqlSettingsStore
from bagboard.adapters.storage.tokens import SqlTokenStore
from bagboard.adapters.storage.users import SqlUserStore
from bagboard.config import Settings
from bagboard.domain.accounts import AccountService
from bagboard.domain.auth import Authenticator
from bagboard.domain.libraries import LibraryService
from bagboard.domain.settings import SettingsService

MEMORY = "memory"
SQL = "sql"


def _migrated_engine(database_url: str) -> Iterator[Engine]:
    """Create the engine and bring the schema up to date (start-up applies migrations)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    clock = providers.Singleton(SystemClock)
    engine = providers.Resource(_migrated_engine, config.database_url)

    users = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryUserStore),
        sql=providers.Singleton(SqlUserStore, engine),
    )
    tokens = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryTokenStore),
        sql=providers.Singleton(SqlTokenStore, engine),
    )
    libraries = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemoryLibraryStore),
        sql=providers.Singleton(SqlLibraryStore, engine),
    )
    settings_store = providers.Selector(
        config.storage,
        memory=providers.Singleton(MemorySettingsStore),
        sql=providers.Singleton(SqlSettingsStore, engine),
    )

    accounts = providers.Factory(AccountService, users, tokens, clock)
    authenticator = providers.Singleton(Authenticator, users, tokens, clock)
    library_service = providers.Factory(LibraryService, libraries)
    settings_service = providers.Factory(SettingsService, settings_store)


class Bagboard:
    """Typed access to a wired container: what the CLI, the server and tests use."""

    def __init__(self, container: Container, settings: Settings) -> None:
        self._container = container
        self.settings = settings

    def accounts(self) -> AccountService:
        service: AccountService = self._container.accounts()
        return service

    def authenticator(self) -> Authenticator:
        service: Authenticator = self._container.authenticator()
        return service

    def libraries(self) -> LibraryService:
        service: LibraryService = self._container.library_service()
        return service

    def settings_service(self) -> SettingsService:
        service: SettingsService = self._container.settings_service()
        return service

    def prepare_storage(self) -> None:
        """Create the database and apply migrations now rather than on the first request."""
        if self._container.config.storage() == SQL:
            self._container.engine()

    def http_services(self) -> HttpServices:
        # Plain closures, not bound methods: Litestar deep-copies its handlers' dependencies,
        # and a function is copied by reference while a bound method would drag the container.
        container = self._container

        def authenticator() -> Authenticator:
            service: Authenticator = container.authenticator()
            return service

        def settings() -> SettingsService:
            service: SettingsService = container.settings_service()
            return service

        return HttpServices(authenticator=authenticator, settings=settings, version=__version__)

    def create_app(self, *, debug: bool = False) -> Any:
        return create_app(self.http_services(), debug=debug)

    def close(self) -> None:
        """Release the database engine, if one was opened."""
        self._container.shutdown_resources()


def build(settings: Settings, *, memory: bool = False, **overrides: object) -> Bagboard:
    """Wire bagboard for ``settings``; ``memory=True`` swaps every store for its memory twin.

    ``overrides`` replace any provider by name with a ready object (``clock=ManualClock()``).
    """
    container = Container()
    container.config.from_dict(
        {"storage": MEMORY if memory else SQL, "database_url": settings.database_url}
    )
    for name, value in overrides.items():
        provider = getattr(container, name, None)
        if not isinstance(provider, providers.Provider):
            raise TypeError(f"unknown provider {name!r}")
        provider.override(providers.Object(value))
    return Bagboard(container, settings)
