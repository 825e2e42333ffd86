"""The OpenAPI 3.1 document of ``/api/v1`` (contract §7), generated from the routes.

Litestar writes the paths, parameters and response schemas from the route handlers. What lives
outside the handlers is added here, once: the token gate (security schemes, 401 and 503 on every
gated operation), the one error body of ``errors.py`` in place of Litestar's own, the JSON
request bodies that handlers read raw (declared on the handler with ``opt=json_body(...)``, or
``opt=file_body(...)`` for a file: ``bodies.py``), and the answers a response spec cannot say:
one status served in several media types (``opt=media_types(...)``) and the headers that go
with a status (both in ``answers.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Final

import msgspec
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, Example, SecurityScheme, Tag
from litestar.routes import HTTPRoute
from litestar.types import ControllerRouterHandler

from bagboard.adapters.http.api.schemas import ErrorBody
from bagboard.adapters.http.docs.answers import (
    MEDIA_OPT_KEY,
    add_headers,
    add_media_types,
    bodiless,
)
from bagboard.adapters.http.docs.bodies import (
    FILE_BODY_OPT_KEY,
    add_file_body,
    file_body,
    mark_nulls,
    unmark_nulls,
)
from bagboard.adapters.http.docs.operation_ids import operation_id
from bagboard.adapters.http.docs.schema_shapes import shape_components

__all__ = [
    "API_KEY_TEXT",
    "API_TITLE",
    "BASIC_TEXT",
    "BEARER_TEXT",
    "BODY_OPT_KEY",
    "DESCRIPTION",
    "DISABLED_TEXT",
    "ERROR_SHAPES",
    "OPENAPI_STATE_KEY",
    "TAGS",
    "UNAUTHORIZED_TEXT",
    "Body",
    "OpenApiSource",
    "api_document",
    "error_statuses",
    "file_body",
    "json_body",
    "ok",
    "openapi_config",
]

API_TITLE: Final = "bagboard /api/v1"
BODY_OPT_KEY: Final = "json_body"
OPENAPI_STATE_KEY: Final = "openapi_document"
_ERROR_REF: Final = {"$ref": "#/components/schemas/ErrorBody"}

ERROR_SHAPES: Final = (
    "Every error is a JSON object with a string `error` and a string `message` (human text), "
    "and `error` comes in one of two shapes. Usually it is a stable snake_case code "
    '(`{"error": "not_found", "message": "..."}`; also `invalid_input`, `invalid_mode`, '
    "`invalid_path`, `invalid_reading_list`, `unauthorized`, `api_disabled`, `forbidden`, "
    "`method_not_allowed`, "
    "`range_not_satisfiable`, ...). Where the reference server answers with a sentence, "
    "`error` is that exact sentence (CLU's wire format): the missing-parameter errors "
    "(`Missing 'path' parameter`, `Missing 'path'`, `Missing 'path' or 'page_number'`, "
    "`Missing 'series' parameter`, `Missing 'publisher' parameter`, `Missing 'publisher' or "
    "'series' parameter`) and the body-number errors (`page_number must be an integer`, "
    "`total_pages must not be negative`, `ts must be an integer unix timestamp`, ...). "
    "A 409 `stale` also carries `current`, the stored position."
)
DESCRIPTION: Final = (
    "The JSON API of bagboard, the API that offline comic readers speak. Every body is JSON; "
    "HEAD works wherever GET does; lists, details, covers, pages and files carry an `ETag` "
    "and answer `If-None-Match` with 304. " + ERROR_SHAPES
)
BEARER_TEXT: Final = (
    "Send `Authorization: Bearer <token>` with every request (a token from "
    "`bagboard token create`). Surrounding whitespace is trimmed."
)
API_KEY_TEXT: Final = "The same token in an `X-API-Key: <token>` header, as OPDS clients send it."
BASIC_TEXT: Final = (
    "HTTP Basic with the token as the password and any user name, for readers that only have "
    "user and password fields."
)
UNAUTHORIZED_TEXT: Final = (
    "`unauthorized`: no credentials, a header that is neither `Bearer <token>` (the scheme "
    "in any case) nor Basic, or a token that is unknown or revoked."
)
DISABLED_TEXT: Final = (
    "`api_disabled`: no token exists yet, so the API is switched off; create one with "
    "`bagboard token create`. This answer comes before the header is even read."
)
TAGS: Final = (
    ("auth", "Token checks."),
    ("library", "Browsing by publisher, series and issue, by metadata or by folder."),
    ("shelves", "Each user's favourites and want-to-read list."),
    ("issues", "One comic: its detail, cover, pages and file."),
    ("progress", "Each user's reading positions and read marks."),
    ("problems", "Files the scans could not read (owners only)."),
    ("readlists", "Reading lists from CBL files, each user's and shared (bagboard extension)."),
    ("arcs", "Story arcs, as ComicInfo names them (bagboard extension)."),
    ("reading", "What to read next: on deck and continue reading (bagboard extension)."),
    ("docs", "This documentation, and the OpenAPI document it is made from."),
)


def openapi_config(version: str) -> OpenAPIConfig:
    """Schema generation for the schema-only app of ``OpenApiSource``."""
    return OpenAPIConfig(
        title=API_TITLE,
        version=version,
        description=DESCRIPTION,
        use_handler_docstrings=True,
        operation_id_creator=operation_id,
        security=[{"bearer": []}, {"apiKey": []}, {"basic": []}],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", description=BEARER_TEXT),
                "apiKey": SecurityScheme(
                    type="apiKey",
                    name="X-API-Key",
                    security_scheme_in="header",
                    description=API_KEY_TEXT,
                ),
                "basic": SecurityScheme(type="http", scheme="basic", description=BASIC_TEXT),
            }
        ),
        tags=[Tag(name=name, description=text) for name, text in TAGS],
        # That app is never served; one plugin keeps Litestar from setting up its legacy ones.
        render_plugins=[JsonRenderPlugin()],
    )


def ok(
    container: Any,
    example: Any = None,
    *,
    description: str = "Success",
    media_type: str = "application/json",
    status: int = 200,
) -> dict[int, ResponseSpec]:
    """``responses=`` entry for the success answer: what it holds (a handler's return
    annotation may not say: a pre-encoded ``Response[bytes]``, an image, a file) and the example
    the documentation shows (``examples.py``)."""
    examples = None if example is None else [Example(summary="Example", value=mark_nulls(example))]
    spec = ResponseSpec(
        container,
        description=description,
        media_type=media_type,
        generate_examples=False,
        examples=examples,
    )
    return {status: spec}


def json_body(struct: type[msgspec.Struct], example: Mapping[str, Any]) -> dict[str, Any]:
    """``opt=`` for a handler that reads a JSON body by hand: the body it documents, and the
    example the documentation shows."""
    return {BODY_OPT_KEY: (struct, dict(example))}


class OpenApiSource:
    """The finished document of the routes ``create_app`` serves, built on first use.

    Litestar generates a document only for an app with an ``openapi_config``, and then also
    mounts its own schema routes; so the served app has none, and a schema-only app over the
    same handlers and dependencies, never served, generates it.
    """

    def __init__(
        self,
        prefix: str,
        handlers: Sequence[ControllerRouterHandler],
        dependencies: Mapping[str, Provide],
        version: str,
    ) -> None:
        self._prefix = prefix
        self._handlers = list(handlers)
        self._dependencies = dict(dependencies)
        self._version = version
        self._document: dict[str, Any] | None = None

    def document(self) -> dict[str, Any]:
        if self._document is None:
            app = Litestar(
                route_handlers=[Router(self._prefix, route_handlers=self._handlers)],
                dependencies=self._dependencies,
                openapi_config=openapi_config(self._version),
                logging_config=None,
            )
            self._document = shape_components(
                _finish(copy.deepcopy(app.openapi_schema.to_schema()), app)
            )
        return self._document


def api_document(app: Litestar) -> dict[str, Any]:
    """The document of the app ``create_app`` built."""
    source: OpenApiSource = app.state[OPENAPI_STATE_KEY]
    return source.document()


Body = tuple[type[msgspec.Struct], dict[str, Any]]


def _opts(app: Litestar, key: str) -> dict[tuple[str, str], Any]:
    """``handler.opt[key]`` of every operation that has it, by (path, method)."""
    found: dict[tuple[str, str], Any] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            value = handler.opt.get(key)
            if value is not None:
                found[(route.path_format, method.lower())] = value
    return found


def _finish(document: dict[str, Any], app: Litestar) -> dict[str, Any]:
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    bodies: dict[tuple[str, str], Body] = _opts(app, BODY_OPT_KEY)
    files: dict[tuple[str, str], tuple[str, str]] = _opts(app, FILE_BODY_OPT_KEY)
    media: dict[tuple[str, str], dict[str, tuple[str, ...]]] = _opts(app, MEDIA_OPT_KEY)
    structs: list[type[msgspec.Struct]] = [ErrorBody, *(struct for struct, _ in bodies.values())]
    _, defs = msgspec.json.schema_components(structs, ref_template="#/components/schemas/{name}")
    for name, schema in defs.items():
        schemas.setdefault(name, schema)
    schemas["ErrorBody"]["description"] = ERROR_SHAPES
    document.setdefault("components", {})["responses"] = {
        "Unauthorized": _error_response(UNAUTHORIZED_TEXT),
        "ApiDisabled": _error_response(DISABLED_TEXT),
    }
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _fix_operation(operation, bodies.get((path, method)))
            add_file_body(operation, files.get((path, method)))
            add_media_types(operation["responses"], media.get((path, method), {}))
            add_headers(operation["responses"])
            if method == "head":
                shared = document["components"]["responses"]
                operation["responses"] = bodiless(operation["responses"], shared)
    return unmark_nulls(document)  # type: ignore[no-any-return]


def _error_response(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": _ERROR_REF}}}


def _fix_operation(operation: dict[str, Any], body: Body | None) -> None:
    responses: dict[str, Any] = operation["responses"]
    for response in responses.values():
        # Litestar documents its own error shape for invalid parameters; errors.py answers
        # an ErrorBody instead.
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if "status_code" in schema.get("properties", {}):
            response["content"] = {"application/json": {"schema": dict(_ERROR_REF)}}
            response["description"] = "Invalid input: `error` says which."
    if body is not None:
        struct, example = body
        media = {
            "schema": {"$ref": f"#/components/schemas/{struct.__name__}"},
            "examples": {"example": {"summary": "Example", "value": example}},
        }
        operation["requestBody"] = {"required": True, "content": {"application/json": media}}
    if operation.get("security") != [{}]:
        responses.setdefault("401", {"$ref": "#/components/responses/Unauthorized"})
        responses.setdefault("503", {"$ref": "#/components/responses/ApiDisabled"})


def error_statuses(table: Mapping[int, str]) -> dict[int, ResponseSpec]:
    """``responses=`` entries for the errors a handler answers besides the gate's."""
    return {
        status: ResponseSpec(ErrorBody, description=text, generate_examples=False)
        for status, text in table.items()
    }
