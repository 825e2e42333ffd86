"""Every route resolves its dependencies one after another (``dependency_order.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.testing import TestClient

from bagboard.adapters.http.dependency_order import (
    batched_routes,
    resolve_in_order,
    unordered_routes,
)
from bagboard.config import load_settings
from bagboard.library import ComicLibrary


@pytest.fixture
def library(tmp_path: Path) -> Iterator[ComicLibrary]:
    settings = load_settings(data_dir=str(tmp_path), environ={})
    library = ComicLibrary.from_settings(settings, memory=True)
    try:
        yield library
    finally:
        library.close()


def test_no_route_of_the_server_resolves_dependencies_in_a_task_group(
    library: ComicLibrary,
) -> None:
    assert unordered_routes(library.create_app()) == []


def _small_app(calls: list[str]) -> Litestar:
    def first() -> str:
        calls.append("first")
        return "a"

    def second() -> str:
        calls.append("second")
        return "b"

    def both(first: NamedDependency[str], second: NamedDependency[str]) -> str:
        calls.append("both")
        return first + second

    @get("/", sync_to_thread=False)
    def handler(
        first: NamedDependency[str], second: NamedDependency[str], both: NamedDependency[str]
    ) -> str:
        return f"{first}{second}{both}"

    return Litestar(
        [handler],
        dependencies={
            "first": Provide(first, sync_to_thread=False),
            "second": Provide(second, sync_to_thread=False),
            "both": Provide(both, sync_to_thread=False),
        },
    )


def test_batches_become_single_dependencies_that_still_come_after_their_own() -> None:
    calls: list[str] = []
    app = _small_app(calls)
    assert unordered_routes(app) == ["GET /"]  # Litestar's own batching groups first and second
    resolve_in_order(app)
    assert unordered_routes(app) == []
    with TestClient(app) as client:
        assert client.get("/").text == "abab"
    assert calls == ["first", "second", "both"]


def test_plain_dependencies_are_called_in_order_without_batches() -> None:
    calls: list[str] = []

    def first() -> str:
        calls.append("first")
        return "a"

    def second() -> str:
        calls.append("second")
        return "b"

    @get("/", sync_to_thread=False)
    def handler(
        first: NamedDependency[str], second: NamedDependency[str], kept: NamedDependency[str]
    ) -> str:
        return f"{first}{second}{kept}"

    def keep() -> str:
        calls.append("kept")
        return "c"

    app = Litestar(
        [handler],
        dependencies={
            "first": Provide(first, sync_to_thread=False),
            "second": Provide(second, sync_to_thread=False),
            "kept": Provide(keep, sync_to_thread=False, use_cache=True),
        },
    )
    resolve_in_order(app)
    assert batched_routes(app) == []
    with TestClient(app) as client:
        assert client.get("/").text == "abc"
        assert client.get("/").text == "abc"
    # In order, per request, and the cached one once.
    assert calls == ["first", "kept", "second", "first", "second"]


def test_the_ping_route_resolves_its_dependencies_without_batches(library: ComicLibrary) -> None:
    app = library.create_app()
    assert any(route.path == "/api/v1/auth/ping" for route in app.routes)
    assert "GET /api/v1/auth/ping" not in batched_routes(app)
