"""A scanned world with reading lists, served by the app, for the ``/komga`` read-list tests.

Library Marvel: Civil War #1 and #2 (2006), two copies of Amazing Spider-Man #532; library
Secret: Secret Wars #1 (``tests/readlist_support.write_world``), plus whatever a test adds.
Users: the owner, ``reader`` (every library) and ``kid`` (Marvel only), each with a token.
Lists, imported from CBL files through ``ReadingListService``:

- the owner's "Civil War Event": CW #1, ASM #532 (ambiguous: the first copy), CW #2, Secret Wars
  #1, CW #1 again, and a book nobody has;
- the reader's "Reader Run": the same books, so the tracker writes the reader's own state;
- the shared "Everyone's Wars": CW #1, Secret Wars #1, CW #2 (kid sees two of them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import TestClient

from bagboard.adapters.readlists import parse_cbl
from bagboard.config import load_settings
from bagboard.domain.model import Library, Role, User
from bagboard.library import ComicLibrary
from tests.browse_support import database_url
from tests.readlist_support import cbl, write_world

__all__ = ["EVENT_BOOKS", "ListWorld", "list_world"]

EVENT_BOOKS = [
    ("Civil War", "1", "2006", "2006"),
    ("Amazing Spider-Man", "532", "", "2006"),
    ("Civil War", "2", "2006", "2006"),
    ("Secret Wars", "1", "", "1984"),
    ("Civil War", "1", "2006", "2006"),
    ("Nobody Reads This", "7", "", ""),
]
SHARED_BOOKS = [
    ("Civil War", "1", "2006", "2006"),
    ("Secret Wars", "1", "", "1984"),
    ("Civil War", "2", "2006", "2006"),
]


@dataclass
class ListWorld:
    app: ComicLibrary
    client: TestClient[Any]
    marvel: Library
    secret: Library
    owner: User
    reader: User
    kid: User
    tokens: dict[str, str]  # user name -> token secret
    lists: dict[str, str]  # list name -> Komga id

    def comic_id(self, relative: str) -> str:
        for library in (self.marvel, self.secret):
            found = self.app.container.library_index().comic_at(f"{library.root}/{relative}")
            if found is not None:
                return str(found.id)
        raise AssertionError(relative)

    def get(self, path: str, user: str = "owner", **params: Any) -> httpx.Response:
        self.client.cookies.clear()
        headers = {"X-API-Key": self.tokens[user]}
        return self.client.get(f"/komga{path}", params=params, headers=headers)

    def json(self, path: str, user: str = "owner", **params: Any) -> Any:
        response = self.get(path, user, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def app_client(self) -> httpx.Client:
        """A client of its own (cookie jar and all), with the base URL users type."""
        return TestClient(self.client.app, base_url="http://testserver.local/komga")

    def http(self, user: str) -> httpx.Client:
        """The app as a client app reaches it (base URL ``…/komga/``), signed in by API key."""
        http = TestClient(self.client.app, base_url="http://testserver.local/komga/")
        http.headers["X-API-Key"] = self.tokens[user]
        return http


@contextmanager
def list_world(
    kind: str, base: Path, more: Callable[[Path, Path], None] | None = None
) -> Iterator[ListWorld]:
    """The world above; ``more(marvel, secret)`` writes more comics before the scan."""
    marvel_root, secret_root = write_world(base)
    if more is not None:
        more(marvel_root, secret_root)
    with database_url(kind, base) as url:
        app = ComicLibrary.from_settings(
            load_settings(data_dir=str(base / "data"), database_url=url), workers=0
        )
        try:
            marvel = app.add_folder(marvel_root, "Marvel")
            secret = app.add_folder(secret_root, "Secret")
            app.scan()
            owner = app.accounts.owner()
            reader = app.accounts.add_user("reader", Role.READER, None)
            kid = app.accounts.add_user("kid", Role.READER, [marvel.id])
            tokens = {
                "owner": app.accounts.create_token().secret,
                "reader": app.accounts.create_token("reader").secret,
                "kid": app.accounts.create_token("kid").secret,
            }
            lists = {}
            for user, name, books, shared in (
                (owner, "Civil War Event", EVENT_BOOKS, False),
                (reader, "Reader Run", EVENT_BOOKS, False),
                (owner, "Everyone's Wars", SHARED_BOOKS, True),
            ):
                parsed = parse_cbl(cbl(name, books, summary=f"{name} in order"))
                report = app.reading_lists.import_list(user, parsed, shared=shared)
                lists[name] = str(report.reading_list.id)
            with TestClient(app.create_app()) as client:
                yield ListWorld(app, client, marvel, secret, owner, reader, kid, tokens, lists)
        finally:
            app.close()
