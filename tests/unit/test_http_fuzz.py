"""A property-based run over every route of the app, read from its route table (so a new
endpoint is fuzzed without being listed here): random and hostile path parameters, query
values, headers and bodies, with a valid token and without. No answer may be a 5xx, an
error that is not a JSON object, a traceback, or an error naming a server folder.

The run is derandomized and bounded so it stays fast and repeatable in the suite; set
``BAGBOARD_FUZZ_EXAMPLES`` to explore further.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.params import HeaderParameter, RawBody
from litestar.routes import HTTPRoute

from bagboard.adapters.http.auth import PUBLIC_OPT_KEY, PUBLIC_PATH_PATTERNS
from tests.browse_support import World, auth
from tests.unit.hostile_support import check_answer

# Endless answers a test client would wait for to the end (ten minutes of heartbeats); the
# Komga events stream has its own tests.
STREAMS = {"/komga/sse/v1/events"}
RESERVED = {"request", "scope", "state", "headers", "cookies", "query", "body", "data", "socket"}
EXAMPLES = int(os.environ.get("BAGBOARD_FUZZ_EXAMPLES", "200"))


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str  # "/api/v1/issue/{issue_id:str}/page/{number:str}"
    path_params: tuple[str, ...]
    query: tuple[str, ...]
    headers: tuple[str, ...]
    body: bool
    public: bool

    def __repr__(self) -> str:
        return f"{self.method} {self.template}"


def endpoints(world: World) -> list[Endpoint]:
    found: list[Endpoint] = []
    for route in world.client.app.routes:
        if not isinstance(route, HTTPRoute) or route.path in STREAMS:
            continue
        for handler in route.route_handlers:
            methods = sorted(m for m in handler.http_methods if m != "OPTIONS")
            if not methods:
                continue
            params = handler.parsed_fn_signature.parameters
            dependencies = set(handler.resolve_dependencies())
            headers = tuple(
                str(field.kwarg_definition.name or field.kwarg_definition.header or name)  # type: ignore[union-attr]
                for name, field in params.items()
                if isinstance(field.kwarg_definition, HeaderParameter)
                or getattr(field.kwarg_definition, "header", None)
            )
            # Everything else a handler takes that is not a dependency, the path, the body or
            # Litestar's own reserved names arrives in the query string.
            query = tuple(
                name
                for name, field in params.items()
                if name not in dependencies
                and name not in route.path_parameters
                and name not in RESERVED
                and field.annotation is not RawBody
                and not isinstance(field.kwarg_definition, HeaderParameter)
                and not getattr(field.kwarg_definition, "header", None)
                and not getattr(field.kwarg_definition, "cookie", None)
            )
            body = any(field.annotation is RawBody for field in params.values())
            public = bool(handler.opt.get(PUBLIC_OPT_KEY)) or any(
                re.match(p, route.path) for p in PUBLIC_PATH_PATTERNS
            )
            for method in methods:
                found.append(
                    Endpoint(
                        method,
                        route.path_format if hasattr(route, "path_format") else route.path,
                        tuple(route.path_parameters),
                        query,
                        headers,
                        body,
                        public,
                    )
                )
    return found


def test_the_route_table_is_read(world: World) -> None:
    """The run covers the whole API: if reading the table broke, this fails, not the fuzz."""
    found = {(e.method, e.template) for e in endpoints(world)}
    assert len(found) >= 20
    assert ("GET", "/api/v1/issue/{issue_id}/page/{number}") in found
    assert ("PUT", "/api/v1/progress") in found
    # ... and the OPDS catalogs behind the same gate.
    assert ("GET", "/opds/v1.2/issue/{issue_id}/pse/{page_number}") in found
    assert ("PUT", "/opds/v2.0/issue/{issue_id}/progression") in found
    assert ("GET", "/opds/v2.0/search") in found
    by_key = {(e.method, e.template): e for e in endpoints(world)}
    assert "page_size" in by_key["GET", "/api/v1/library/series"].query
    assert by_key["POST", "/api/v1/library/to-read"].body


# --- values ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "1", "2", "200", "201", "9" * 30, "1e9", "0x10", "²", " 7 "]),
)
HOSTILE = st.sampled_from(
    [
        "",
        "..",
        "../../etc/passwd",
        "..\\..\\",
        "%2e%2e%2f",
        "/",
        "/etc",
        "\x00",
        "a\x00b",
        "a" * 3000,
        "/a" * 1000,
        "filesystem",
        "metadata",
        "FileSystem",
        "alpha",
        "count",
        "year",
        "recent",
        "Marvel",
        "DC Comics",
        "Swamp Thing",
        "v1985",
        "Amazing Spider-Man",
        "folder",
        "file",
        "%",
        "_",
        "*",
        '"',
        "'; DROP TABLE comics; --",
    ]
)


def real_paths(world: World) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            world.a,
            world.b,
            f"{world.a}/Marvel",
            f"{world.a}/DC Comics/Swamp Thing/v1985",
            f"{world.a}/Image/Saga/Saga 01.cbz",
            f"{world.b}/Secret Press/Hidden/Hidden 01.cbz",
            f"{world.a}/Marvel/..",
            f"{world.a}/../comics-b",
        ]
    )


def values(world: World) -> st.SearchStrategy[str]:
    return st.one_of(TEXT, NUMBERS, HOSTILE, real_paths(world))


ENCODED = re.compile(r"(?:%[0-9A-F]{2}|[A-Za-z0-9_.~-])*")


def raw_query_value() -> st.SearchStrategy[str]:
    """Percent-encoded bytes, most of them not UTF-8."""
    return st.binary(max_size=12).map(lambda raw: quote_from_bytes(raw, safe=""))


def json_value(world: World) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**80), 2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        values(world),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def bodies(world: World) -> st.SearchStrategy[bytes | dict[str, Any]]:
    keys = st.sampled_from(
        ["path", "page_number", "total_pages", "time_spent", "updated_at", "page_count", "type"]
    )
    objects = st.dictionaries(keys, json_value(world), max_size=5)
    raw = st.one_of(
        st.binary(max_size=64),
        st.sampled_from([b"", b"{", b"null", b"[]", b'"x"', b"\xff\xfe", b'{"path": "\xff"}']),
    )
    return st.one_of(objects, raw)


HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
RANGES = st.one_of(
    st.from_regex(r"bytes=[0-9]{0,22}-[0-9]{0,22}(,[0-9]{0,3}-[0-9]{0,3}){0,3}", fullmatch=True),
    HEADER_TEXT,
)


@dataclass
class Request:
    method: str
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes | dict[str, Any] | None


@st.composite
def requests(draw: st.DrawFn, world: World, table: list[Endpoint], token: str | None) -> Request:
    # Endpoints that take a body have the most to parse: draw them as often as all the rest.
    weighted = table + [e for e in table if e.body] * max(
        1, len(table) // max(1, sum(e.body for e in table))
    )
    endpoint = draw(st.sampled_from(weighted))
    ids = st.sampled_from([str(world.comic_id(f"{world.a}/Image/Saga/Saga 01.cbz")), "1", "2"])
    url = endpoint.template
    for name in endpoint.path_params:
        value = draw(st.one_of(ids, NUMBERS, values(world)))
        url = re.sub(
            r"\{" + name + r"(:[^}]*)?\}", quote(value, safe="").replace("\\", "\\\\"), url
        )
    params = {}
    for name in endpoint.query:
        if draw(st.booleans()):
            params[name] = draw(st.one_of(values(world), raw_query_value()))
    headers = {} if token is None else auth(token)
    for name in endpoint.headers:
        if draw(st.booleans()):
            headers[name] = draw(HEADER_TEXT)
    if "download" in url and draw(st.booleans()):
        headers["Range"] = draw(RANGES)
    if token is not None and draw(st.integers(0, 9)) == 0:
        headers = {"X-API-Key": token}
    body = draw(bodies(world)) if endpoint.body else None
    return Request(endpoint.method, url, params, headers, body)


def send(world: World, request: Request) -> Any:
    # Each request stands alone: no session cookie (``/komga`` sets one) carries over.
    world.client.cookies.clear()
    kwargs: dict[str, Any] = {"headers": request.headers}
    if isinstance(request.body, dict):
        kwargs["json"] = request.body
    elif request.body is not None:
        kwargs["content"] = request.body
    # Query values already percent-encoded (``raw_query_value``) go into the URL untouched; any
    # other text is encoded, a "%" in it included (a bare "%\x1f" is no escape).
    query = "&".join(
        f"{quote(k)}={v if ENCODED.fullmatch(v) else quote(v, safe='')}"
        for k, v in request.params.items()
    )
    url = request.url + (f"?{query}" if query else "")
    # Redirects are answers too: the web pages send a browser without a session to /login.
    return world.client.request(request.method, url, follow_redirects=False, **kwargs)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(data=st.data())
def test_no_request_with_a_valid_token_breaks_the_server(world: World, data: st.DataObject) -> None:
    table = endpoints(world)
    request = data.draw(requests(world, table, world.owner))
    response = send(world, request)
    # Public routes take no path parameters: the request is to one exactly (not to a route
    # below it: ``/opds`` is public, ``/opds/v1.2/folder`` is not).
    public = any(e.public and request.url.rstrip("/") == e.template.rstrip("/") for e in table)
    check_answer(world, response, method=request.method, public=public)


@FUZZ
@given(data=st.data(), token=st.sampled_from([None, "", "garbage", "Bearer", "x" * 500]))
def test_no_request_without_a_valid_token_gets_past_the_gate(
    world: World, data: st.DataObject, token: str | None
) -> None:
    table = [e for e in endpoints(world) if not e.public]
    request = data.draw(requests(world, table, token))
    response = send(world, request)
    check_answer(world, response, method=request.method, public=True)
    # 405: the path names a route without that method (an empty id collapses
    # ``books//read-progress`` onto ``books/{id}``), refused before the gate, no handler run.
    # The web app's gate sends a page request to its sign-in page instead of a 401.
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login?next="), response.headers
        return
    # kosync's registration answers everyone alike, with or without a login: it is closed.
    if request.url.rstrip("/") == "/koreader/users/create" and request.method == "POST":
        assert response.status_code == 402, response.text
        return
    assert response.status_code in (401, 404, 405), response.text
