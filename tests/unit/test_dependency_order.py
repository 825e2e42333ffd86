"""Every route resolves its dependencies one after another, without Litestar's batches where
they are plain (``dependency_order.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.testing import TestClient

from bagboard.adapters.http.dependency_order import (
    _models,
    batched_routes,
    parsed_routes,
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


def test_routes_taking_the_current_user_resolve_it_without_batches(library: ComicLibrary) -> None:
    app = library.create_app()
    # Only KOReader's user, read in a worker thread, still goes through Litestar's batches.
    assert {name.split(" ")[1].split("/")[1] for name in batched_routes(app)} == {"koreader"}
    assert "GET /api/v1/progress" in [name for name, _h, _m in _models(app)]
    assert "GET /api/v1/progress" not in batched_routes(app)


def _request_app(calls: list[object]) -> Litestar:
    def service() -> str:
        calls.append("service")
        return "s"

    def caller(request: Request[Any, Any, Any]) -> str:
        calls.append(request)
        return str(request.query_params.get("who", "nobody"))

    def both(
        request: Request[Any, Any, Any],
        caller: NamedDependency[str],
        service: NamedDependency[str],
    ) -> str:
        calls.append(("both", request, caller, service))
        return f"{caller}+{service}"

    @get("/deps", sync_to_thread=False)
    def deps(caller: NamedDependency[str], both: NamedDependency[str]) -> str:
        return f"{caller}|{both}"

    @get("/mixed", sync_to_thread=False)
    def mixed(caller: NamedDependency[str], n: FromQuery[int]) -> str:
        return f"{caller}|{n + 1}"

    return Litestar(
        [deps, mixed],
        openapi_config=None,
        dependencies={
            "service": Provide(service, sync_to_thread=False),
            "caller": Provide(caller, sync_to_thread=False),
            "both": Provide(both, sync_to_thread=False),
        },
    )


def test_dependencies_taking_the_request_are_given_it_without_batches() -> None:
    calls: list[object] = []
    app = resolve_in_order(_request_app(calls))
    assert batched_routes(app) == []
    with TestClient(app) as client:
        assert client.get("/deps?who=ann").text == "ann|ann+s"
    request = calls[0]
    assert isinstance(request, Request)
    assert request.query_params["who"] == "ann"
    # Each after what it names, with the same request.
    assert sorted(calls[:2], key=str) == sorted([request, "service"], key=str)
    assert calls[2] == ("both", request, "ann", "s")


def test_a_handler_taking_only_dependencies_gets_them_unparsed_and_others_still_check() -> None:
    app = resolve_in_order(_request_app([]))
    # /deps takes dependencies only; /mixed a query parameter too, converted and checked.
    assert [name for name in parsed_routes(app) if name.startswith("GET")] == ["GET /mixed"]
    with TestClient(app) as client:
        assert client.get("/deps").text == "nobody|nobody+s"
        assert client.get("/mixed?who=bo&n=2").text == "bo|3"
        assert client.get("/mixed?n=two").status_code == 400


def test_the_ping_route_parses_no_signature(library: ComicLibrary) -> None:
    app = library.create_app()
    assert "GET /api/v1/auth/ping" not in parsed_routes(app)
    # A route with query parameters still converts them.
    assert "GET /api/v1/progress" in parsed_routes(app)
