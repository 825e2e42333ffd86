"""A real library written to disk, scanned into a real store and served by the real app.

The OPDS suites build one per database (memory is not enough: feeds read through the SQL
browse and progress code): library A that everyone sees, library B that the limited user
``kid`` must never reach, a token for the owner and one for ``kid``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from litestar.testing import TestClient

from bagboard.config import load_settings
from bagboard.domain.model import Role
from bagboard.library import ComicLibrary
from tests.browse_support import auth, database_url


@dataclass
class ScannedWorld:
    app: ComicLibrary
    client: TestClient[Any]
    root_a: Path
    root_b: Path
    owner: str
    kid: str
    _users: Iterator[int] = field(default_factory=lambda: count(1))

    def path(self, relative: str, root: Path | None = None) -> str:
        return str((root or self.root_a) / relative)

    def id_of(self, relative: str, root: Path | None = None) -> int:
        comic = self.app.container.library_index().comic_at(self.path(relative, root))
        assert comic is not None, relative
        return int(comic.id)

    def new_reader(self) -> str:
        """A token of a new user who sees everything, so tests that save positions never
        see each other's."""
        name = f"reader{next(self._users)}"
        self.app.accounts.add_user(name, Role.READER, None)
        return self.app.accounts.create_token(name).secret

    def get(
        self,
        url: str,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> httpx.Response:
        # Without params the URL's own query stands (httpx would replace it with an empty one).
        return self.client.get(
            url, params=params or None, headers={**auth(token or self.owner), **(headers or {})}
        )

    def put(
        self,
        url: str,
        body: Any = None,
        token: str | None = None,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {**auth(token or self.owner), **(headers or {})}
        if content is not None:
            return self.client.put(url, content=content, headers=sent)
        return self.client.put(url, json=body, headers=sent)


W = TypeVar("W", bound=ScannedWorld)


@contextmanager
def scanned_world(
    make: type[W],
    kind: str,
    tmp: pytest.TempPathFactory,
    write_library: Callable[[Path], tuple[Path, Path]],
    **overrides: object,
) -> Iterator[W]:
    """``write_library(base)`` writes libraries A and B below ``base`` and returns their roots;
    ``kind`` is the database (``sqlite`` or ``postgresql``, see ``browse_support``);
    ``overrides`` replace providers of the container (``bootstrap.build``)."""
    base = tmp.mktemp(f"{make.__name__.lower()}-{kind}")
    root_a, root_b = write_library(base)
    with database_url(kind, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url),
            workers=0,
            **overrides,
        )
        try:
            lib_a = app.libraries.add(str(root_a), "A")
            lib_b = app.libraries.add(str(root_b), "B")
            for library in (lib_a, lib_b):
                app.scanner().scan(library)
            owner = app.accounts.create_token().secret
            app.accounts.add_user("kid", Role.READER, [lib_a.id])
            kid = app.accounts.create_token("kid").secret
            with TestClient(app.create_app()) as client:
                yield make(app, client, root_a, root_b, owner, kid)
        finally:
            app.close()


@contextmanager
def served_folder(
    folder: Path, data_dir: Path, *, public_url: str | None = None
) -> Iterator[tuple[TestClient[Any], str]]:
    """``folder`` as the one library of an app on SQLite in ``data_dir``, scanned: a client of
    the app and the owner's token."""
    app = ComicLibrary.from_settings(
        load_settings(data_dir=str(data_dir), public_url=public_url), workers=0
    )
    try:
        library = app.libraries.add(str(folder), "Lib")
        app.scanner().scan(library)
        token = app.accounts.create_token().secret
        with TestClient(app.create_app()) as client:
            yield client, token
    finally:
        app.close()
