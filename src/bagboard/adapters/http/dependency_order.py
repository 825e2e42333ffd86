"""A handler's dependencies resolved one after another, never in a task group.

Litestar resolves a handler's dependencies in batches (each holding those whose own
dependencies are ready) and runs a batch of two or more in an anyio task group, so that slow
asynchronous providers overlap. Every provider of this app is a cheap factory that does no I/O
(``app.HttpServices``), so the group overlaps nothing and costs a task per dependency: profiled
on ``/auth/ping``, the group took about a tenth of the request. ``resolve_in_order`` rewrites
each route's batches into batches of one, in the same order, so a dependency still comes after
everything it depends on.

A route whose dependencies are all plain goes further. Plain means synchronous, no generator,
taking nothing but the request and dependencies resolved before it: the service factories and
constants, ``current_user`` (``auth.py``) and the OPDS catalog built on them. They are called,
in the same order, where Litestar gathers the handler's other arguments (an extractor of its
``KwargsModel``), which leaves it no batch at all, and so no cleanup group entered in an exit
stack, no coroutine per dependency and no signature model of a dependency parsed (each only
checked that the values it is given are the types its annotations name: values this app's
own providers made). Nothing is left to clean up after such a provider. Counted with callgrind
on ``/auth/ping`` (two such dependencies), 7% of its work in the app.

A handler whose every argument is such a dependency goes further still: Litestar would check
the values against the handler's signature model too, and build a dictionary of them again;
``parse_values_from_connection_kwargs`` of its model hands them on as they are (7% of
``/auth/ping``'s work in the app, counted with callgrind).

``KwargsModel.dependency_batches`` and ``KwargsModel.extractors``, ``Provide.signature_model``
and a handler's ``signature_model`` are Litestar's own (2.x), not documented settings; the
tests check that no route is left with a batch of two, that ``/auth/ping`` and a route taking
``current_user`` are left with none and that ``/auth/ping`` parses no signature, so an upgrade
that renames them fails there, not silently.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Empty

__all__ = ["batched_routes", "parsed_routes", "resolve_in_order", "unordered_routes"]


def _in_order(batches: list[set[Any]]) -> list[set[Any]]:
    return [{dependency} for batch in batches for dependency in sorted(batch, key=_key)]


def _key(dependency: Any) -> str:
    return str(dependency.key)


def _models(app: Litestar) -> list[tuple[str, Any, Any]]:
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (handler, model) in route.route_handler_map.items():
                found.append((f"{method} {route.path}", handler, model))
    return found


# A dependency's argument that is no other dependency: the request, from the connection.
_REQUEST = "request"


def _plain(dependency: Any, before: set[str]) -> bool:
    """Whether ``dependency`` is synchronous, no generator, and takes nothing but the request
    and dependencies in ``before``."""
    provide = dependency.provide
    return bool(
        all(name == _REQUEST or name in before for name in provide.signature_model._fields)
        and provide.has_sync_callable
        and not provide.has_sync_generator_dependency
        and not provide.has_async_generator_dependency
    )


def _inline(ordered: list[Any]) -> list[tuple[str, Any, tuple[str, ...]]] | None:
    """``(key, provide, argument names)`` of each of ``ordered``, or None unless all are plain."""
    found: list[tuple[str, Any, tuple[str, ...]]] = []
    before: set[str] = set()
    for dependency in ordered:
        if not _plain(dependency, before):
            return None
        found.append(
            (dependency.key, dependency.provide, tuple(dependency.provide.signature_model._fields))
        )
        before.add(dependency.key)
    return found


def _extractor(providers: list[tuple[str, Any, tuple[str, ...]]]) -> Any:
    """An extractor (``KwargsModel.extractors``) calling plain ``providers`` in order, as
    ``litestar.di.Provide.__call__`` would (a cached value once, else a call each time), each
    given the request and the dependencies it names."""

    async def extract(output: dict[str, Any], connection: Any) -> None:
        for key, provide, arguments in providers:
            if provide.use_cache and provide.value is not Empty:
                output[key] = provide.value
                continue
            if arguments:
                given = {
                    name: connection if name == _REQUEST else output[name] for name in arguments
                }
                value = provide.dependency(**given)
            else:
                value = provide.dependency()
            if provide.use_cache:
                provide.value = value
            output[key] = value

    return extract


class _AsGiven:
    """A handler signature model's ``parse_values_from_connection_kwargs`` handing the values
    of its ``names`` on as they are (``kwargs`` may hold the request besides)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names
        self._count = len(names)

    def __call__(self, connection: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if len(kwargs) == self._count:  # every name is in kwargs: nothing else is
            return kwargs
        return {name: kwargs[name] for name in self._names}


def resolve_in_order(app: Litestar) -> Litestar:
    """Give every HTTP route of ``app`` batches of one dependency, or none where all its
    dependencies are plain (and no signature to parse where they are all its handler takes);
    returns ``app``."""
    for _name, handler, model in _models(app):
        batches = getattr(model, "dependency_batches", None)
        if not batches:
            continue
        ordered = _in_order(batches)
        providers = _inline([dependency for batch in ordered for dependency in batch])
        if providers is not None:
            model.extractors.append(_extractor(providers))
            model.dependency_batches = []
            keys = {key for key, _provide, _arguments in providers}
            signature = handler.signature_model
            if signature._fields and all(name in keys for name in signature._fields):
                signature.parse_values_from_connection_kwargs = _AsGiven(tuple(signature._fields))
        elif any(len(batch) > 1 for batch in batches):
            model.dependency_batches = ordered
    return app


def parsed_routes(app: Litestar) -> list[str]:
    """The routes whose handler's arguments go through its signature model (for tests)."""
    return [
        name
        for name, handler, _model in _models(app)
        if handler.signature_model._fields
        and not isinstance(handler.signature_model.parse_values_from_connection_kwargs, _AsGiven)
    ]


def unordered_routes(app: Litestar) -> list[str]:
    """The routes whose dependencies would still be resolved in a task group (for tests)."""
    return [
        name
        for name, _handler, model in _models(app)
        if any(len(batch) > 1 for batch in getattr(model, "dependency_batches", ()))
    ]


def batched_routes(app: Litestar) -> list[str]:
    """The routes that still resolve dependencies through Litestar's batches (for tests)."""
    return [
        name for name, _handler, model in _models(app) if getattr(model, "dependency_batches", ())
    ]
