"""Lists that keep read or started books only (Komelia's "keep reading" and "read" shelves,
``read_status=`` on ``GET /books``) and "on deck" read the series the user has touched, not
every series of the libraries: each must equal what the general path gives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bagboard.domain.model import User
from bagboard.services.series_catalog import SeriesCatalog
from bagboard.services.series_views import SeriesView
from tests.browse_support import BACKENDS, World, browse_world
from tests.unit.komga_support import kjson


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with browse_world(request.param, tmp_path_factory) as built:
        for token in (built.owner, built.kid):
            series = kjson(
                built, "/api/v1/series", token=token, unpaged="true", sort="booksCount,desc"
            )["content"]
            several = [one for one in series if one["booksCount"] > 1]
            assert len(several) >= 2, "the world should have series of several books"
            for n, one in enumerate([*several[:2], *series[-2:]]):
                path = f"/api/v1/series/{one['id']}/books"
                books = kjson(built, path, token=token, unpaged="true")["content"]
                # The first book of each is read; the first series' second book is started
                # (the second series is then "on deck").
                _patch(built, token, books[0]["id"], {"completed": True})
                if n == 0:
                    _patch(built, token, books[1]["id"], {"page": 1})
        yield built


def _patch(world: World, token: str, book_id: str, body: dict[str, Any]) -> None:
    response = world.client.patch(
        f"/komga/api/v1/books/{book_id}/read-progress", json=body, headers={"X-API-Key": token}
    )
    assert response.status_code == 204, response.text


def _post(world: World, token: str, body: dict[str, Any], **params: Any) -> Any:
    world.client.cookies.clear()
    response = world.client.post(
        "/komga/api/v1/books/list", json=body, params=params, headers={"X-API-Key": token}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _status(value: str) -> dict[str, Any]:
    return {"readStatus": {"operator": "is", "value": value}}


def _requests(world: World) -> list[Callable[[str], Any]]:
    lib = str(world.lib_a.id)
    return [
        lambda t: _post(
            world, t, {"condition": _status("IN_PROGRESS")}, sort="readProgress.readDate,desc"
        ),
        lambda t: _post(world, t, {"condition": _status("READ")}, sort="readProgress.readDate"),
        lambda t: _post(
            world,
            t,
            {
                "condition": {
                    "allOf": [_status("READ"), {"libraryId": {"operator": "is", "value": lib}}]
                }
            },
            unpaged="true",
        ),
        lambda t: _post(
            world, t, {"condition": {"anyOf": [_status("READ"), _status("IN_PROGRESS")]}}, size=3
        ),
        lambda t: kjson(world, "/api/v1/books", token=t, read_status="READ,IN_PROGRESS"),
        lambda t: kjson(world, "/api/v1/books", token=t, read_status="in_progress", library_id=lib),
        lambda t: kjson(world, "/api/v1/books/ondeck", token=t),
        lambda t: kjson(world, "/api/v1/books/ondeck", token=t, library_id=lib),
        lambda t: kjson(world, "/api/v1/books/ondeck", token=t, library_id="999"),
    ]


def test_started_lists_equal_the_general_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for token in (world.owner, world.kid):
        for number, ask in enumerate(_requests(world)):
            with monkeypatch.context() as patched:

                def everything(*args: Any, **kwargs: Any) -> Any:
                    raise AssertionError("a started list read every series")

                patched.setattr(SeriesCatalog, "all_series", everything)
                found = ask(token)

            def all_series(
                self: SeriesCatalog, user: User, library_ids: Any = ()
            ) -> list[SeriesView]:
                return self.all_series(user, library_ids)

            with monkeypatch.context() as patched:
                patched.setattr(SeriesCatalog, "touched_series", all_series)
                expected = ask(token)
            assert found == expected, number
            if number in (0, 1, 3, 4, 6):  # (the others depend on which library holds what)
                assert found["content"], number
            if number == 8:  # a library nobody sees
                assert found["content"] == [], number


def test_a_list_that_may_hold_unread_books_keeps_the_general_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def touched(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a list that may hold unread books read the touched series only")

    monkeypatch.setattr(SeriesCatalog, "touched_series", touched)
    assert _post(world, world.owner, {"condition": _status("UNREAD")})["content"]
    both = {"anyOf": [_status("UNREAD"), _status("READ")]}
    assert _post(world, world.owner, {"condition": both})["content"]
    assert kjson(world, "/api/v1/books", read_status="UNREAD,READ")["content"]
