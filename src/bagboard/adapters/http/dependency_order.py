"""A handler's dependencies resolved one after another, never in a task group.

Litestar resolves a handler's dependencies in batches (each holding those whose own
dependencies are ready) and runs a batch of two or more in an anyio task group, so that slow
asynchronous providers overlap. Every provider of this app is a cheap factory that does no I/O
(``app.HttpServices``), so the group overlaps nothing and costs a task per dependency: profiled
on ``/auth/ping``, the group took about a tenth of the request. ``resolve_in_order`` rewrites
each route's batches into batches of one, in the same order, so a dependency still comes after
everything it depends on.

``KwargsModel.dependency_batches`` is Litestar's own (2.x), not a documented setting; the
architecture tests check that no route is left with a batch of two, so an upgrade that renames
it fails there, not silently.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

__all__ = ["resolve_in_order", "unordered_routes"]


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


def resolve_in_order(app: Litestar) -> Litestar:
    """Give every HTTP route of ``app`` batches of one dependency; returns ``app``."""
    for _name, model in _models(app):
        batches = getattr(model, "dependency_batches", None)
        if batches and any(len(batch) > 1 for batch in batches):
            model.dependency_batches = _in_order(batches)
    return app


def unordered_routes(app: Litestar) -> list[str]:
    """The routes whose dependencies would still be resolved in a task group (for tests)."""
    return [
        name
        for name, model in _models(app)
        if any(len(batch) > 1 for batch in getattr(model, "dependency_batches", ()))
    ]
