"""A handler's dependencies resolved one after another, never in a task group.

Litestar resolves a handler's dependencies in batches (each holding those whose own
dependencies are ready) and runs a batch of two or more in an anyio task group, so that slow
asynchronous providers overlap. Every provider of this app is a cheap factory that does no I/O
(``app.HttpServices``), so the group overlaps nothing and costs a task per dependency: profiled
on ``/auth/ping``, the group took about a tenth of the request. ``resolve_in_order`` rewrites
each route's batches into batches of one, in the same order, so a dependency still comes after
everything it depends on.

A route whose dependencies are all plain (synchronous functions of no argument, no generator:
the service factories and constants) goes further: they are called, in the same order, where
Litestar gathers the handler's other arguments (an extractor of its ``KwargsModel``), which
leaves it no batch at all, and so no cleanup group entered in an exit stack and no coroutine
per dependency. Nothing is left to clean up after such a provider. Counted with callgrind on
``/auth/ping`` (two such dependencies), 7% of its work in the app.

``KwargsModel.dependency_batches`` and ``KwargsModel.extractors`` are Litestar's own (2.x),
not documented settings; the tests check that no route is left with a batch of two and that
``/auth/ping`` is left with none, so an upgrade that renames them fails there, not silently.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Empty

__all__ = ["batched_routes", "resolve_in_order", "unordered_routes"]


def _in_order(batches: list[set[Any]]) -> list[set[Any]]:
    return [{dependency} for batch in batches for dependency in sorted(batch, key=_key)]


def _key(dependency: Any) -> str:
    return str(dependency.key)


def _models(app: Litestar) -> list[tuple[str, Any]]:
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (_handler, model) in route.route_handler_map.items():
                found.append((f"{method} {route.path}", model))
    return found


def _plain(dependency: Any) -> bool:
    provide = dependency.provide
    return bool(
        not provide.signature_model._fields
        and provide.has_sync_callable
        and not provide.has_sync_generator_dependency
        and not provide.has_async_generator_dependency
    )


def _extractor(providers: list[tuple[str, Any]]) -> Any:
    """An extractor (``KwargsModel.extractors``) calling plain ``providers`` in order, as
    ``litestar.di.Provide.__call__`` would (a cached value once, else a call each time)."""

    async def extract(output: dict[str, Any], connection: Any) -> None:
        del connection
        for key, provide in providers:
            if provide.use_cache and provide.value is not Empty:
                output[key] = provide.value
                continue
            value = provide.dependency()
            if provide.use_cache:
                provide.value = value
            output[key] = value

    return extract


def resolve_in_order(app: Litestar) -> Litestar:
    """Give every HTTP route of ``app`` batches of one dependency, or none where all its
    dependencies are plain; returns ``app``."""
    for _name, model in _models(app):
        batches = getattr(model, "dependency_batches", None)
        if not batches:
            continue
        ordered = _in_order(batches)
        if all(_plain(dependency) for batch in ordered for dependency in batch):
            providers = [(d.key, d.provide) for batch in ordered for d in batch]
            model.extractors.append(_extractor(providers))
            model.dependency_batches = []
        elif any(len(batch) > 1 for batch in batches):
            model.dependency_batches = ordered
    return app


def unordered_routes(app: Litestar) -> list[str]:
    """The routes whose dependencies would still be resolved in a task group (for tests)."""
    return [
        name
        for name, model in _models(app)
        if any(len(batch) > 1 for batch in getattr(model, "dependency_batches", ()))
    ]


def batched_routes(app: Litestar) -> list[str]:
    """The routes that still resolve dependencies through Litestar's batches (for tests)."""
    return [name for name, model in _models(app) if getattr(model, "dependency_batches", ())]
